import { describe, expect, it } from 'vitest';
import { dynoQuotaMb, startJobMemoryWatch } from './memory-watch.js';

describe('dynoQuotaMb', () => {
  it('takes N2K_DYNO_MEMORY_MB, then MEMORY_AVAILABLE, then N2K_DYNO_SIZE, then 512', () => {
    expect(dynoQuotaMb({})).toEqual({ quotaMb: 512 });
    expect(dynoQuotaMb({ N2K_DYNO_MEMORY_MB: '1024', MEMORY_AVAILABLE: '2560' })).toEqual({ quotaMb: 1024 });
    expect(dynoQuotaMb({ MEMORY_AVAILABLE: '2560', N2K_DYNO_SIZE: 'basic' })).toEqual({ quotaMb: 2560 });
    expect(dynoQuotaMb({ N2K_DYNO_SIZE: 'standard-2x' })).toEqual({ quotaMb: 1024 });
  });

  it('falls back to 512 MB with a problem to report for a value it cannot read', () => {
    expect(dynoQuotaMb({ N2K_DYNO_MEMORY_MB: '1GB' })).toMatchObject({
      quotaMb: 512,
      problem: /N2K_DYNO_MEMORY_MB=1GB/,
    });
    expect(dynoQuotaMb({ N2K_DYNO_SIZE: 'huge' })).toMatchObject({ quotaMb: 512, problem: /huge/ });
  });
});

describe('startJobMemoryWatch', () => {
  it('on a one-off dyno logs memory at once, warns before R14, and logs the peak when stopped', () => {
    const lines: string[] = [];
    // This test process uses far more than 1 MB: the warning must come with the first sample.
    const watch = startJobMemoryWatch({ DYNO: 'run.4821', N2K_DYNO_MEMORY_MB: '1' }, (l) => lines.push(l));
    expect(lines[0]).toMatch(/^memory: [\d.]+ MB of 1 MB$/);
    expect(lines[1]).toMatch(/^warning: memory [\d.]+ MB is \d+% of the dyno's 1 MB: Heroku reports R14/);
    watch.stop();
    expect(lines.at(-1)).toMatch(/^memory: peak \d+ MB of 1 MB$/);
    expect(lines).toHaveLength(3);
  });

  it('on a scheduler dyno with room to spare logs samples but no warning', () => {
    const lines: string[] = [];
    startJobMemoryWatch({ DYNO: 'scheduler.1', N2K_DYNO_MEMORY_MB: '1000000' }, (l) => lines.push(l)).stop();
    expect(lines.some((l) => l.startsWith('warning'))).toBe(false);
    expect(lines).toHaveLength(2);
  });

  it('stays silent off a dyno, and only warns there when a quota is given', () => {
    const quiet: string[] = [];
    startJobMemoryWatch({}, (l) => quiet.push(l)).stop();
    expect(quiet).toEqual([]);
    const warned: string[] = [];
    startJobMemoryWatch({ N2K_DYNO_MEMORY_MB: '1' }, (l) => warned.push(l)).stop();
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(/^warning: memory/);
  });
});
