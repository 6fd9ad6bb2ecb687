import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFeedList } from '@news2kindle/feed-fetcher';
import type { StateStore } from '@news2kindle/pipeline';
import { createFileStore } from '@news2kindle/pipeline/file-store';
import { createPostgresStore } from '@news2kindle/pipeline/postgres-store';
import type { FeedsInfo } from './app.js';

type Env = Record<string, string | undefined>;

/** The bundled examples, used (as the CLI does) when no feeds file is configured. */
const EXAMPLES = fileURLToPath(new URL('../../../examples/feeds.txt', import.meta.url));

/** The feeds file the job reads: `N2K_FEEDS`, else `./feeds.txt`, else the bundled examples. */
export function feedsPath(env: Env, cwd: string): string {
  const configured = env.N2K_FEEDS?.trim();
  if (configured) return resolve(cwd, configured);
  const local = resolve(cwd, 'feeds.txt');
  return existsSync(local) || !existsSync(EXAMPLES) ? local : EXAMPLES;
}

/** Reads the configured feed list for the page; a problem becomes a message, never a crash. */
export async function loadFeeds(path: string, cwd: string): Promise<FeedsInfo> {
  const origin = path.startsWith(cwd) ? path.slice(cwd.length + 1) || path : path;
  try {
    const text = await readFile(path, 'utf8');
    const feeds = readFeedList(text, { baseDir: dirname(path) }).map((s) => ({
      url: s.url,
      ...(s.title ? { title: s.title } : {}),
    }));
    return { origin, feeds };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return {
      origin,
      feeds: [],
      error:
        code === 'ENOENT'
          ? `No feeds file at ${origin}: add feeds.txt or set N2K_FEEDS.`
          : `${origin} cannot be read (${code ?? 'invalid'}).`,
    };
  }
}

/**
 * The run history's store: PostgreSQL when `DATABASE_URL` is set (on Heroku the web dyno and the
 * one-off dynos share no disk), else the file store the CLI uses locally.
 */
export function openStore(env: Env, feeds: string): { store: StateStore; kind: string; detail: string } {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    const schema = env.N2K_DATABASE_SCHEMA?.trim() || undefined;
    const store = createPostgresStore({ connectionString: url, ...(schema ? { schema } : {}), maxConnections: 2 });
    return { store, kind: 'postgres', detail: `Heroku Postgres (DATABASE_URL)${schema ? `, schema ${schema}` : ''}` };
  }
  const dir = env.N2K_DATA_DIR?.trim() || join(dirname(feeds), '.news2kindle');
  return { store: createFileStore({ dir }), kind: 'file', detail: dir };
}

/** `node <cli.js> send`: the very command Heroku Scheduler runs, resolved through the workspace. */
export function deliveryCommand(): [string, ...string[]] {
  const require = createRequire(import.meta.url);
  const cliDir = dirname(require.resolve('@news2kindle/cli-app/package.json'));
  return [process.execPath, join(cliDir, 'dist', 'cli.js'), 'send'];
}
