import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PipelineError } from './errors.js';
import type { FeedState, RunRecord, StateStore } from './types.js';

/** What the suite needs from an adapter under test. */
export interface StoreHarness {
  /**
   * Opens a store on the harness's backing (same folder, same database schema). Called more than
   * once per test to check persistence and locking across instances.
   */
  open(): Promise<StateStore> | StateStore;
  /** Removes the backing (folder, schema) after the test. */
  cleanup?(): Promise<void>;
}

const at = (iso: string) => new Date(iso);

function run(id: string, startedAt: string, extra: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    startedAt: at(startedAt),
    finishedAt: new Date(at(startedAt).getTime() + 5_000),
    outcome: 'delivered',
    counts: { feeds: 3, failedFeeds: 1, articles: 12, volumes: 1, bytes: 123_456 },
    ...extra,
  };
}

/**
 * The conformance suite every {@link StateStore} adapter passes. Call it at the top level of a
 * vitest file with a factory that gives each test a fresh, empty backing.
 */
export function testStateStore(name: string, setup: () => Promise<StoreHarness>): void {
  describe(`StateStore conformance: ${name}`, () => {
    let harness: StoreHarness;
    const opened: StateStore[] = [];
    const open = async () => {
      const store = await harness.open();
      opened.push(store);
      return store;
    };

    beforeEach(async () => {
      harness = await setup();
    });
    afterEach(async () => {
      for (const store of opened.splice(0)) await store.close();
      await harness.cleanup?.();
    });

    it('starts empty', async () => {
      const store = await open();
      expect(typeof store.name).toBe('string');
      expect((await store.deliveredIds('https://example.org/feed')).size).toBe(0);
      expect((await store.feedStates()).size).toBe(0);
      expect(await store.runs()).toEqual([]);
    });

    it('keeps delivered ids per feed, and they persist across instances', async () => {
      const store = await open();
      const odd = 'tag:example.org,2026:ünï/"quoted"\'s?x=1&y=2 ' + 'x'.repeat(500);
      await store.commit({
        delivered: [
          { feedUrl: 'https://a.example/feed', id: 'a1', deliveredAt: at('2026-11-01T06:00:00Z') },
          { feedUrl: 'https://a.example/feed', id: odd, deliveredAt: at('2026-11-01T06:00:00Z') },
          { feedUrl: 'https://b.example/feed', id: 'b1', deliveredAt: at('2026-11-01T06:00:00Z') },
        ],
      });
      await store.commit({
        delivered: [{ feedUrl: 'https://a.example/feed', id: 'a1', deliveredAt: at('2026-11-02T06:00:00Z') }],
      });
      const again = await open();
      expect([...(await again.deliveredIds('https://a.example/feed'))].sort()).toEqual(['a1', odd].sort());
      expect([...(await again.deliveredIds('https://b.example/feed'))]).toEqual(['b1']);
      expect((await again.deliveredIds('https://c.example/feed')).size).toBe(0);
    });

    it('replaces feed states and keeps their dates', async () => {
      const store = await open();
      const first: FeedState = {
        url: 'https://a.example/feed',
        etag: '"v1"',
        lastModified: 'Sun, 01 Nov 2026 06:00:00 GMT',
        lastSuccessAt: at('2026-11-01T06:00:00.123Z'),
        lastCheckedAt: at('2026-11-01T06:00:00.123Z'),
        lastStatus: 'ok',
      };
      await store.commit({
        feeds: [first, { url: 'https://b.example/feed', lastStatus: 'failed', lastError: 'HTTP 500' }],
      });
      await store.commit({ feeds: [{ ...first, etag: '"v2"', lastStatus: 'not-modified' }] });
      const states = await (await open()).feedStates();
      expect(states.size).toBe(2);
      const a = states.get('https://a.example/feed');
      expect(a?.etag).toBe('"v2"');
      expect(a?.lastStatus).toBe('not-modified');
      expect(a?.lastModified).toBe(first.lastModified);
      expect(a?.lastSuccessAt?.toISOString()).toBe('2026-11-01T06:00:00.123Z');
      const b = states.get('https://b.example/feed');
      expect(b?.lastError).toBe('HTTP 500');
      expect(b?.etag).toBeUndefined();
      expect(b?.lastSuccessAt).toBeUndefined();
    });

    it('keeps the run history newest first', async () => {
      const store = await open();
      await store.commit({ run: run('r1', '2026-11-01T06:00:00Z') });
      await store.commit({ run: run('r3', '2026-11-03T06:00:00Z', { outcome: 'failed', error: 'SMTP 421' }) });
      await store.commit({ run: run('r2', '2026-11-02T06:00:00Z', { outcome: 'nothing-new' }) });
      const runs = await (await open()).runs();
      expect(runs.map((r) => r.id)).toEqual(['r3', 'r2', 'r1']);
      expect(runs[0]).toMatchObject({
        outcome: 'failed',
        error: 'SMTP 421',
        counts: run('x', '2026-11-01T00:00:00Z').counts,
      });
      expect(runs[0]?.finishedAt.toISOString()).toBe('2026-11-03T06:00:05.000Z');
      expect((await store.runs(1)).map((r) => r.id)).toEqual(['r3']);
    });

    it('prunes delivered ids older than the retention cut-off', async () => {
      const store = await open();
      await store.commit({
        delivered: [
          { feedUrl: 'f', id: 'old', deliveredAt: at('2026-10-01T00:00:00Z') },
          { feedUrl: 'f', id: 'new', deliveredAt: at('2026-11-20T00:00:00Z') },
          { feedUrl: 'g', id: 'old-g', deliveredAt: at('2026-10-01T00:00:00Z') },
        ],
      });
      await store.commit({ pruneBefore: at('2026-11-01T00:00:00Z') });
      expect([...(await store.deliveredIds('f'))]).toEqual(['new']);
      expect((await store.deliveredIds('g')).size).toBe(0);
    });

    it('applies concurrent commits of one instance without losing any', async () => {
      const store = await open();
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.commit({ delivered: [{ feedUrl: 'f', id: `id${i}`, deliveredAt: at('2026-11-20T00:00:00Z') }] }),
        ),
      );
      expect((await store.deliveredIds('f')).size).toBe(8);
    });

    it('lets one holder at a time take the lock, across instances', async () => {
      const one = await open();
      const two = await open();
      const release = await one.lock({ waitMs: 0 });
      const refused = await two.lock({ waitMs: 150 }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(PipelineError);
      expect((refused as PipelineError).code).toBe('LOCKED');
      expect((refused as PipelineError).message).toMatch(/another delivery is in progress/);
      await release();
      await release(); // twice is harmless
      const again = await two.lock({ waitMs: 0 });
      await again();
    });

    it('hands the lock to a waiter when the holder releases it', async () => {
      const one = await open();
      const two = await open();
      const release = await one.lock();
      const waiting = two.lock({ waitMs: 5_000 });
      setTimeout(() => void release(), 100);
      const second = await waiting;
      await second();
    });

    it('gives the lock to exactly one of two simultaneous attempts', async () => {
      const one = await open();
      const two = await open();
      const results = await Promise.allSettled([one.lock({ waitMs: 0 }), two.lock({ waitMs: 0 })]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected');
      expect((lost as PromiseRejectedResult).reason.code).toBe('LOCKED');
      await (won[0] as PromiseFulfilledResult<() => Promise<void>>).value();
    });
  });
}
