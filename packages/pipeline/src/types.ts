/** How the last fetch of a feed went. */
export type FeedStatus = 'ok' | 'not-modified' | 'failed';

/** What a store remembers about one feed between runs. */
export interface FeedState {
  url: string;
  /** Validators of the last response whose articles were all delivered, for a conditional GET. */
  etag?: string;
  lastModified?: string;
  /** Start of the last run after which every selected article of this feed was delivered. */
  lastSuccessAt?: Date;
  /** When the feed was last fetched, whatever the result. */
  lastCheckedAt?: Date;
  lastStatus?: FeedStatus;
  /** Reason of the last failure (never a secret). */
  lastError?: string;
}

/** One article delivered for a feed, kept until the retention period prunes it. */
export interface DeliveredArticle {
  feedUrl: string;
  id: string;
  deliveredAt: Date;
}

export type RunOutcome = 'delivered' | 'nothing-new' | 'failed' | 'dry-run';

/** One run in the history. */
export interface RunRecord {
  id: string;
  startedAt: Date;
  finishedAt: Date;
  outcome: RunOutcome;
  counts: { feeds: number; failedFeeds: number; articles: number; volumes: number; bytes: number };
  error?: string;
}

/** Everything one run writes, applied at once so a crash never leaves half of it. */
export interface StateChange {
  delivered?: DeliveredArticle[];
  /** Replaces the stored state of each feed named. */
  feeds?: FeedState[];
  run?: RunRecord;
  /** Forget delivered articles recorded before this moment. */
  pruneBefore?: Date;
}

/** Releases a lock; calling it twice is harmless. */
export type Release = () => Promise<void>;

export interface LockOptions {
  /** How long to wait for a lock another run holds before failing with `LOCKED` (default 0). */
  waitMs?: number;
  signal?: AbortSignal;
}

/**
 * Where a delivery remembers what it sent. Adapters (`file-store`, `postgres-store`,
 * `memory-store`) implement this, and all pass the suite in `@news2kindle/pipeline/testing`.
 */
export interface StateStore {
  /** Adapter name for messages, e.g. `file` or `postgres`. */
  readonly name: string;
  /** Ids of the articles of this feed already delivered (and not yet pruned). */
  deliveredIds(feedUrl: string): Promise<Set<string>>;
  /** Stored state of every feed, keyed by URL. */
  feedStates(): Promise<Map<string, FeedState>>;
  /** The most recent runs, newest first. */
  runs(limit?: number): Promise<RunRecord[]>;
  /** Applies one run's writes atomically. */
  commit(change: StateChange): Promise<void>;
  /**
   * Takes the delivery lock, waiting up to `waitMs`; throws a `PipelineError` with code `LOCKED`
   * ("another delivery is in progress") when it stays taken.
   */
  lock(options?: LockOptions): Promise<Release>;
  /** Releases connections and timers; the store is unusable afterwards. */
  close(): Promise<void>;
}
