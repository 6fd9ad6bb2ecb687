import pg from 'pg';
import { PipelineError } from './errors.js';
import { lockedError, waitFor } from './lock-wait.js';
import type { FeedState, FeedStatus, RunOutcome, RunRecord, StateStore } from './types.js';

export interface PostgresStoreOptions {
  /** e.g. Heroku's `DATABASE_URL`. */
  connectionString: string;
  /**
   * TLS for the connection. Default: none for a loopback host or a Unix socket, else
   * `{ rejectUnauthorized: false }` (what Heroku Postgres needs: its certificates are self-signed).
   */
  ssl?: boolean | { rejectUnauthorized?: boolean; ca?: string };
  /** Schema holding the tables (created when missing; default `public`). */
  schema?: string;
  /** Prefix of the table names (default `n2k_`). */
  tablePrefix?: string;
  /** Runs kept in the history (default 100). */
  keepRuns?: number;
  /** Connections of the pool, besides the lock's own (default 2). */
  maxConnections?: number;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,40}$/;

/** True for a URL whose host is this machine (or a Unix socket), where TLS is pointless. */
export function isLoopbackUrl(connectionString: string): boolean {
  let host: string;
  try {
    host = new URL(connectionString).hostname;
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, '');
  return host === '' || host === 'localhost' || host === '::1' || host.startsWith('127.') || host.startsWith('/');
}

/** The TLS setting and URL pg gets: `sslmode` in the URL would override `ssl`, so it is dropped when we decide. */
export function connectionFor(options: Pick<PostgresStoreOptions, 'connectionString' | 'ssl'>): pg.ClientConfig {
  const loopback = isLoopbackUrl(options.connectionString);
  const ssl = options.ssl ?? (loopback ? false : { rejectUnauthorized: false });
  let connectionString = options.connectionString;
  try {
    const url = new URL(connectionString);
    if (url.searchParams.has('sslmode')) {
      url.searchParams.delete('sslmode');
      connectionString = url.toString();
    }
  } catch {
    // Not a URL (e.g. a libpq key=value string): pg parses it as it is.
  }
  return { connectionString, ssl };
}

/** Message of a pg error without the connection string (it may hold a password). */
function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A store in PostgreSQL, for Heroku where the disk does not survive a dyno. Creates its tables
 * itself; the delivery lock is a session advisory lock held on a dedicated connection.
 */
export function createPostgresStore(options: PostgresStoreOptions): StateStore {
  const schema = options.schema ?? 'public';
  const prefix = options.tablePrefix ?? 'n2k_';
  if (!IDENTIFIER.test(schema) || !(prefix === '' || IDENTIFIER.test(prefix))) {
    throw new PipelineError('STORE_FAILED', `postgres store: schema and tablePrefix must be plain identifiers`);
  }
  const keepRuns = options.keepRuns ?? 100;
  const config = connectionFor(options);
  const pool = new pg.Pool({ ...config, max: options.maxConnections ?? 2 });
  pool.on('error', () => {
    // An idle connection dropped by the server; the next query opens a new one.
  });
  const table = (name: string) => `"${schema}"."${prefix}${name}"`;
  const delivered = table('delivered');
  const feeds = table('feeds');
  const runs = table('runs');
  const lockKey = `news2kindle:${schema}:${prefix}`;

  let ready: Promise<void> | undefined;
  const prepare = () => {
    ready ??= setup().catch((error: unknown) => {
      ready = undefined;
      throw new PipelineError('STORE_FAILED', `postgres store: cannot create tables: ${messageOf(error)}`, {
        cause: error,
      });
    });
    return ready;
  };

  async function setup(): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      // Two processes creating the same tables at once would collide on the catalogue.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`${lockKey}:setup`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${delivered} (
        feed_url text NOT NULL, article_id text NOT NULL, delivered_at timestamptz NOT NULL,
        PRIMARY KEY (feed_url, article_id))`);
      await client.query(`CREATE INDEX IF NOT EXISTS "${prefix}delivered_at_idx" ON ${delivered} (delivered_at)`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${feeds} (
        url text PRIMARY KEY, etag text, last_modified text, last_success_at timestamptz,
        last_checked_at timestamptz, last_status text, last_error text)`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${runs} (
        id text PRIMARY KEY, started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL,
        outcome text NOT NULL, feeds integer NOT NULL, failed_feeds integer NOT NULL, articles integer NOT NULL,
        volumes integer NOT NULL, bytes bigint NOT NULL, error text)`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async function query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    await prepare();
    try {
      return (await pool.query<R>(text, values)).rows;
    } catch (error) {
      throw new PipelineError('STORE_FAILED', `postgres store: ${messageOf(error)}`, { cause: error });
    }
  }

  return {
    name: 'postgres',
    async deliveredIds(feedUrl) {
      const rows = await query<{ article_id: string }>(`SELECT article_id FROM ${delivered} WHERE feed_url = $1`, [
        feedUrl,
      ]);
      return new Set(rows.map((row) => row.article_id));
    },
    async feedStates() {
      const rows = await query<FeedRow>(`SELECT * FROM ${feeds}`);
      return new Map(rows.map((row) => [row.url, feedFromRow(row)]));
    },
    async runs(limit = keepRuns) {
      const rows = await query<RunRow>(`SELECT * FROM ${runs} ORDER BY started_at DESC LIMIT $1`, [limit]);
      return rows.map(runFromRow);
    },
    async commit(change) {
      await prepare();
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const items = change.delivered ?? [];
        if (items.length > 0) {
          // One statement for the batch; the last time wins when an id is delivered again.
          await client.query(
            `INSERT INTO ${delivered} (feed_url, article_id, delivered_at)
             SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
             ON CONFLICT (feed_url, article_id) DO UPDATE SET delivered_at = EXCLUDED.delivered_at`,
            [items.map((i) => i.feedUrl), items.map((i) => i.id), items.map((i) => i.deliveredAt)],
          );
        }
        for (const feed of change.feeds ?? []) {
          await client.query(
            `INSERT INTO ${feeds} (url, etag, last_modified, last_success_at, last_checked_at, last_status, last_error)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (url) DO UPDATE SET etag = $2, last_modified = $3, last_success_at = $4,
               last_checked_at = $5, last_status = $6, last_error = $7`,
            [
              feed.url,
              feed.etag ?? null,
              feed.lastModified ?? null,
              feed.lastSuccessAt ?? null,
              feed.lastCheckedAt ?? null,
              feed.lastStatus ?? null,
              feed.lastError ?? null,
            ],
          );
        }
        if (change.run) {
          const { id, startedAt, finishedAt, outcome, counts, error } = change.run;
          await client.query(
            `INSERT INTO ${runs} (id, started_at, finished_at, outcome, feeds, failed_feeds, articles, volumes, bytes, error)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (id) DO UPDATE SET finished_at = $3, outcome = $4, feeds = $5, failed_feeds = $6,
               articles = $7, volumes = $8, bytes = $9, error = $10`,
            [
              id,
              startedAt,
              finishedAt,
              outcome,
              counts.feeds,
              counts.failedFeeds,
              counts.articles,
              counts.volumes,
              counts.bytes,
              error ?? null,
            ],
          );
          await client.query(
            `DELETE FROM ${runs} WHERE id NOT IN (SELECT id FROM ${runs} ORDER BY started_at DESC LIMIT $1)`,
            [keepRuns],
          );
        }
        if (change.pruneBefore) {
          await client.query(`DELETE FROM ${delivered} WHERE delivered_at < $1`, [change.pruneBefore]);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new PipelineError('STORE_FAILED', `postgres store: commit failed: ${messageOf(error)}`, { cause: error });
      } finally {
        client.release();
      }
    },
    async lock(lockOptions = {}) {
      await prepare();
      // Session advisory locks belong to a connection: hold one outside the pool for the whole run.
      const client = new pg.Client(config);
      client.on('error', () => {
        // The server dropped the lock's connection; the lock went with it.
      });
      try {
        await client.connect();
        const taken = await waitFor(
          async () =>
            (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [lockKey])).rows[0]
              ?.ok === true,
          { waitMs: lockOptions.waitMs, signal: lockOptions.signal, intervalMs: 200 },
        );
        if (!taken) throw lockedError('postgres', `advisory lock "${lockKey}"`);
      } catch (error) {
        await client.end().catch(() => {});
        if (error instanceof PipelineError) throw error;
        throw new PipelineError('STORE_FAILED', `postgres store: cannot take the lock: ${messageOf(error)}`, {
          cause: error,
        });
      }
      let released = false;
      return async () => {
        if (released) return;
        released = true;
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => {});
        await client.end().catch(() => {});
      };
    },
    async close() {
      await pool.end();
    },
  };
}

interface FeedRow {
  url: string;
  etag: string | null;
  last_modified: string | null;
  last_success_at: Date | null;
  last_checked_at: Date | null;
  last_status: string | null;
  last_error: string | null;
}

interface RunRow {
  id: string;
  started_at: Date;
  finished_at: Date;
  outcome: string;
  feeds: number;
  failed_feeds: number;
  articles: number;
  volumes: number;
  bytes: string;
  error: string | null;
}

function feedFromRow(row: FeedRow): FeedState {
  const feed: FeedState = { url: row.url };
  if (row.etag !== null) feed.etag = row.etag;
  if (row.last_modified !== null) feed.lastModified = row.last_modified;
  if (row.last_success_at !== null) feed.lastSuccessAt = row.last_success_at;
  if (row.last_checked_at !== null) feed.lastCheckedAt = row.last_checked_at;
  if (row.last_status !== null) feed.lastStatus = row.last_status as FeedStatus;
  if (row.last_error !== null) feed.lastError = row.last_error;
  return feed;
}

function runFromRow(row: RunRow): RunRecord {
  const run: RunRecord = {
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome as RunOutcome,
    counts: {
      feeds: row.feeds,
      failedFeeds: row.failed_feeds,
      articles: row.articles,
      volumes: row.volumes,
      // bigint comes back as a string; a book is far below 2^53 bytes.
      bytes: Number(row.bytes),
    },
  };
  if (row.error !== null) run.error = row.error;
  return run;
}
