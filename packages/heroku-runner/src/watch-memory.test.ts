import { describe, expect, it } from 'vitest';
import { type MemorySample, UnknownDynoSizeError, memoryQuotaMb, watchMemory } from './index.js';

const MB = 1024 * 1024;

describe('watchMemory', () => {
  it('warns once when RSS crosses the threshold, and again after falling back', () => {
    const readings = [100, 300, 450, 460, 200, 470].map((mb) => mb * MB);
    const samples: MemorySample[] = [];
    const warnings: MemorySample[] = [];
    const watch = watchMemory({
      dynoSize: 'basic',
      intervalMs: 60_000,
      measure: () => readings.shift() ?? 0,
      onSample: (s) => samples.push(s),
      onWarning: (w) => warnings.push(w),
    });
    for (let i = 0; i < 6; i++) watch.sample();
    watch.stop();
    expect(samples.map((s) => s.rssMb)).toEqual([100, 300, 450, 460, 200, 470]);
    expect(warnings.map((w) => w.rssMb)).toEqual([450, 470]);
    expect(warnings[0]?.quotaMb).toBe(512);
  });

  it('samples on its own timer', async () => {
    const seen = await new Promise<MemorySample>((resolve) => {
      const watch = watchMemory({
        quotaMb: 1024,
        intervalMs: 5,
        onSample: (s) => {
          watch.stop();
          resolve(s);
        },
      });
    });
    expect(seen.rssMb).toBeGreaterThan(10);
    expect(seen.ratio).toBeCloseTo(seen.rssMb / 1024);
  });

  it('knows the dyno sizes and rejects unknown ones', () => {
    expect(memoryQuotaMb({ dynoSize: 'Standard-2X' })).toBe(1024);
    expect(memoryQuotaMb({ dynoSize: 'performance-m' })).toBe(2560);
    expect(memoryQuotaMb({ quotaMb: 300, dynoSize: 'eco' })).toBe(300);
    expect(() => memoryQuotaMb({ dynoSize: 'huge' })).toThrow(UnknownDynoSizeError);
  });
});
