import { describe, expect, it } from 'vitest';
import { createOutput } from './io.js';
import { memoryIo } from './memory-io.js';
import { Progress, type Snapshot, formatBytes } from './progress.js';

const snap = (patch: Partial<Snapshot>): Snapshot => ({
  stage: 'fetch',
  feedsDone: 0,
  feedsTotal: 3,
  articles: 0,
  images: 0,
  bytes: 0,
  ...patch,
});

describe('Progress', () => {
  it('prints one line per step when stderr is not a terminal', () => {
    const t = memoryIo({ tty: false });
    const p = new Progress(createOutput(t.io));
    p.update(snap({ stage: 'lock', feedsTotal: 0 }));
    p.update(snap({}));
    p.update(snap({ feedsDone: 1, articles: 4 }));
    p.log({ level: 'warn', message: 'feed failed: http://x/feed: HTTP 500' });
    p.log({ level: 'info', message: 'an info line' });
    p.log({ level: 'debug', message: 'a debug line' });
    p.update(snap({ stage: 'build', feedsDone: 3 }));
    p.update(snap({ stage: 'build', feedsDone: 3, articles: 2, images: 1, bytes: 2048 }));
    p.update(snap({ stage: 'send', feedsDone: 3, articles: 2, images: 1, bytes: 90_000 }));
    expect(t.stderr().split('\n')).toEqual([
      'fetching 3 feeds',
      'feeds 1/3 fetched (4 items)',
      'warning: feed failed: http://x/feed: HTTP 500',
      'an info line',
      'building the book',
      'built: 2 articles, 1 images, 90.0 KB',
      'sending',
      '',
    ]);
    expect(t.stderr()).not.toContain('\r');
  });

  it('redraws one live line on a terminal and prints warnings above it', () => {
    const t = memoryIo({ tty: true, env: { NO_COLOR: '1' } });
    const p = new Progress(createOutput(t.io));
    p.update(snap({ feedsDone: 2, articles: 5, images: 3, bytes: 1_500_000 }));
    expect(p.line()).toMatch(/fetching feeds · feeds 2\/3 · articles 5 · images 3 · 1\.5 MB$/);
    p.log({ level: 'info', message: 'not shown on a terminal' });
    p.log({ level: 'warn', message: 'shown above the line' });
    p.clear();
    const out = t.stderr();
    expect(out).toContain('\r\x1b[2K');
    expect(out).toContain('shown above the line\n');
    expect(out).not.toContain('not shown');
    expect(out.endsWith('\r\x1b[2K')).toBe(true);
  });

  it('stays quiet for --json except warnings', () => {
    const t = memoryIo({ tty: true });
    const p = new Progress(createOutput(t.io), true);
    p.update(snap({ feedsDone: 1 }));
    p.log({ level: 'info', message: 'quiet' });
    p.log({ level: 'error', message: 'loud' });
    expect(t.stderr()).not.toContain('quiet');
    expect(t.stderr()).toContain('loud');
    expect(t.stderr()).not.toContain('feeds 1/3');
  });

  it('formats bytes', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(155_148)).toBe('155.1 KB');
    expect(formatBytes(4_100_000)).toBe('4.1 MB');
  });
});
