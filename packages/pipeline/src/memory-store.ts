import { lockedError, waitFor } from './lock-wait.js';
import { applyChange, emptyState } from './state-data.js';
import type { StateStore } from './types.js';

export interface MemoryStoreOptions {
  /** Runs kept in the history (default 100). */
  keepRuns?: number;
}

/** A store that lives in this process only: the test double, and for one-shot `dryRun`s. */
export function createMemoryStore(options: MemoryStoreOptions = {}): StateStore {
  const state = emptyState();
  const keepRuns = options.keepRuns ?? 100;
  let locked = false;
  return {
    name: 'memory',
    async deliveredIds(feedUrl) {
      return new Set(state.delivered.get(feedUrl)?.keys());
    },
    async feedStates() {
      return new Map([...state.feeds].map(([url, feed]) => [url, { ...feed }]));
    },
    async runs(limit = keepRuns) {
      return state.runs.slice(0, limit).map((run) => ({ ...run, counts: { ...run.counts } }));
    },
    async commit(change) {
      applyChange(state, structuredClone(change), keepRuns);
    },
    async lock(lockOptions = {}) {
      const taken = await waitFor(async () => {
        if (locked) return false;
        locked = true;
        return true;
      }, lockOptions);
      if (!taken) throw lockedError('memory');
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        locked = false;
      };
    },
    async close() {},
  };
}
