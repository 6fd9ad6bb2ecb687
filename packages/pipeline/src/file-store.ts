import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { removeStaleTemps, writeFileAtomic } from './atomic-write.js';
import { PipelineError } from './errors.js';
import { acquireFileLock } from './file-lock.js';
import { type StateData, applyChange, emptyState } from './state-data.js';
import type { FeedState, FeedStatus, RunRecord, StateStore } from './types.js';

export interface FileStoreOptions {
  /** The data folder (created when missing); holds `state.json` and `state.lock`. */
  dir: string;
  /** Runs kept in the history (default 100). */
  keepRuns?: number;
  /** A lock not refreshed for this long is taken over (default 60 s). */
  staleLockMs?: number;
}

const VERSION = 1;

/** On-disk form: plain JSON with ISO dates, one file. */
interface StateFile {
  version: number;
  delivered: Record<string, Record<string, string>>;
  feeds: Record<
    string,
    Omit<FeedState, 'lastSuccessAt' | 'lastCheckedAt'> & { lastSuccessAt?: string; lastCheckedAt?: string }
  >;
  runs: Array<Omit<RunRecord, 'startedAt' | 'finishedAt'> & { startedAt: string; finishedAt: string }>;
}

/**
 * The embedded default store: one JSON file in a data folder, replaced atomically on every
 * commit so a kill at any moment leaves either the old or the new state, and a lock file
 * beside it with stale-lock recovery.
 */
export function createFileStore(options: FileStoreOptions): StateStore {
  const file = join(options.dir, 'state.json');
  const lockFile = join(options.dir, 'state.lock');
  const keepRuns = options.keepRuns ?? 100;
  let ready: Promise<void> | undefined;
  const prepare = () => {
    ready ??= mkdir(options.dir, { recursive: true }).then(() => removeStaleTemps(file));
    return ready;
  };

  // The parsed file is reused while it is unchanged: commits always replace the file (a new
  // inode and times), so an identical identity means identical content.
  let cache: { key: string; state: StateData } | undefined;

  async function load(fresh = false): Promise<StateData> {
    await prepare();
    let text: string;
    let key: string;
    try {
      const info = await stat(file, { bigint: true });
      key = `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
      if (!fresh && cache?.key === key) return cache.state;
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyState();
      throw new PipelineError('STORE_FAILED', `file store: cannot read ${file}`, { cause: error });
    }
    let state: StateData;
    try {
      state = fromFile(JSON.parse(text) as StateFile);
    } catch (error) {
      throw new PipelineError(
        'STATE_CORRUPT',
        `file store: ${file} is not a news2kindle state file (move it away to start afresh)`,
        { cause: error },
      );
    }
    if (!fresh) cache = { key, state };
    return state;
  }

  // Commits of this process are serialised so two in flight cannot lose each other's writes.
  let queue: Promise<unknown> = Promise.resolve();

  return {
    name: 'file',
    async deliveredIds(feedUrl) {
      return new Set((await load()).delivered.get(feedUrl)?.keys());
    },
    async feedStates() {
      return new Map([...(await load()).feeds].map(([url, feed]) => [url, { ...feed }]));
    },
    async runs(limit = keepRuns) {
      return (await load()).runs.slice(0, limit).map((run) => ({ ...run, counts: { ...run.counts } }));
    },
    commit(change) {
      const next = queue.then(async () => {
        const state = await load(true);
        applyChange(state, change, keepRuns);
        try {
          await writeFileAtomic(file, JSON.stringify(toFile(state)));
        } catch (error) {
          throw new PipelineError('STORE_FAILED', `file store: cannot write ${file}`, { cause: error });
        }
      });
      queue = next.catch(() => {});
      return next;
    },
    async lock(lockOptions = {}) {
      await prepare();
      return acquireFileLock(lockFile, { ...lockOptions, staleMs: options.staleLockMs });
    },
    async close() {
      await queue;
    },
  };
}

function toFile(state: StateData): StateFile {
  const delivered: StateFile['delivered'] = {};
  for (const [feed, ids] of state.delivered) {
    delivered[feed] = Object.fromEntries([...ids].map(([id, at]) => [id, at.toISOString()]));
  }
  const feeds: StateFile['feeds'] = {};
  for (const [url, feed] of state.feeds) {
    feeds[url] = {
      ...feed,
      lastSuccessAt: feed.lastSuccessAt?.toISOString(),
      lastCheckedAt: feed.lastCheckedAt?.toISOString(),
    };
  }
  const runs = state.runs.map((run) => ({
    ...run,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt.toISOString(),
  }));
  return { version: VERSION, delivered, feeds, runs };
}

function fromFile(data: StateFile): StateData {
  if (data?.version !== VERSION || typeof data.delivered !== 'object' || !Array.isArray(data.runs)) {
    throw new Error(`unsupported state version ${String(data?.version)}`);
  }
  const state = emptyState();
  for (const [feed, ids] of Object.entries(data.delivered)) {
    state.delivered.set(feed, new Map(Object.entries(ids).map(([id, at]) => [id, new Date(at)])));
  }
  for (const [url, feed] of Object.entries(data.feeds ?? {})) {
    state.feeds.set(url, {
      ...feed,
      url,
      lastStatus: feed.lastStatus as FeedStatus | undefined,
      lastSuccessAt: feed.lastSuccessAt ? new Date(feed.lastSuccessAt) : undefined,
      lastCheckedAt: feed.lastCheckedAt ? new Date(feed.lastCheckedAt) : undefined,
    });
  }
  state.runs = data.runs.map((run) => ({
    ...run,
    startedAt: new Date(run.startedAt),
    finishedAt: new Date(run.finishedAt),
  }));
  return state;
}
