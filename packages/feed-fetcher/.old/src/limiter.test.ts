import { describe, expect, it } from 'vitest';
import { Limiter } from './limiter.js';

describe('Limiter', () => {
  it('keeps global and per-host limits and lets hosts take turns', async () => {
    const limiter = new Limiter(2, 1);
    const order: string[] = [];
    let active = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const task = (label: string) => () =>
      new Promise<void>((resolve) => {
        order.push(label);
        active++;
        peak = Math.max(peak, active);
        releases.push(() => {
          active--;
          resolve();
        });
      });
    const all = [
      limiter.run('a', task('a1')),
      limiter.run('a', task('a2')),
      limiter.run('a', task('a3')),
      limiter.run('b', task('b1')),
      limiter.run('c', task('c1')),
    ];
    const flush = () => new Promise((r) => setImmediate(r));
    await flush();
    expect(order).toEqual(['a1', 'b1']);
    while (releases.length) {
      releases.shift()!();
      await flush();
    }
    await Promise.all(all);
    // c1 is not stuck behind a2 and a3, which wait for host a one at a time.
    expect(order.indexOf('c1')).toBeLessThan(order.indexOf('a3'));
    expect(order).toHaveLength(5);
    expect(peak).toBe(2);
  });
});
