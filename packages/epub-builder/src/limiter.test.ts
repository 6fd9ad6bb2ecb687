import { describe, expect, it } from 'vitest';
import { createWeightedLimiter } from './limiter.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('createWeightedLimiter', () => {
  it('keeps the count and the total weight in bounds, runs an oversized task alone, in order', async () => {
    const run = createWeightedLimiter(3, 10);
    let active = 0;
    let weight = 0;
    const seen: { active: number; weight: number }[] = [];
    const started: string[] = [];
    const task = (name: string, w: number) =>
      run(w, async () => {
        active++;
        weight += w;
        started.push(name);
        seen.push({ active, weight });
        await tick();
        active--;
        weight -= w;
      });
    await Promise.all([
      task('a', 4),
      task('b', 4),
      task('c', 4), // would make 12 > 10: waits for a or b
      task('huge', 25), // heavier than the capacity: runs once nothing else does
      task('d', 1),
      task('e', 1),
      task('f', 1),
      task('g', 1),
    ]);
    expect(started).toEqual(['a', 'b', 'c', 'huge', 'd', 'e', 'f', 'g']);
    for (const s of seen) {
      expect(s.active).toBeLessThanOrEqual(3);
      if (s.active > 1) expect(s.weight).toBeLessThanOrEqual(10);
    }
    expect(seen[started.indexOf('huge')]).toEqual({ active: 1, weight: 25 });
    expect(Math.max(...seen.map((s) => s.active))).toBe(3);
  });

  it('frees the slot of a task that fails', async () => {
    const run = createWeightedLimiter(1, 1);
    await expect(run(1, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(run(1, async () => 'next')).resolves.toBe('next');
  });
});
