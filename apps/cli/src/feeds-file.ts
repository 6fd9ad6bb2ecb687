import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFeedList } from '@news2kindle/feed-fetcher';
import { UsageError } from './exit-codes.js';
import type { Io, Output } from './io.js';

/** Where the feeds file came from, so the CLI can say so when it is not the obvious one. */
export type FeedsOrigin = 'flag' | 'env' | 'cwd' | 'examples';

export interface FeedsFile {
  path: string;
  origin: FeedsOrigin;
}

/**
 * The bundled examples, found from this file: `apps/cli/dist/cli.js` (and `apps/cli/src/*.ts`
 * in tests) sit three folders below the repository root. Absent outside a checkout.
 */
export const EXAMPLES_FEEDS = fileURLToPath(new URL('../../../examples/feeds.txt', import.meta.url));

/**
 * The feeds file to read: `--feeds`, else `N2K_FEEDS`, else `./feeds.txt`, else (with
 * `allowExamples`, for `send` and `build`) the bundled examples so a first run works offline.
 */
export function locateFeeds(flag: string | undefined, io: Io, allowExamples = true): FeedsFile {
  if (flag) return { path: resolve(io.cwd, flag), origin: 'flag' };
  const fromEnv = io.env.N2K_FEEDS?.trim();
  if (fromEnv) return { path: resolve(io.cwd, fromEnv), origin: 'env' };
  const local = resolve(io.cwd, 'feeds.txt');
  if (existsSync(local) || !allowExamples || !existsSync(EXAMPLES_FEEDS)) {
    if (!existsSync(local)) {
      throw new UsageError(
        `no feeds file: create ./feeds.txt (one feed URL per line), or pass --feeds FILE, or set N2K_FEEDS`,
      );
    }
    return { path: local, origin: 'cwd' };
  }
  return { path: EXAMPLES_FEEDS, origin: 'examples' };
}

/** Reads a feeds file's text; a missing or unreadable file is a usage problem (exit 2). */
export async function readFeedsText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code})`;
    throw new UsageError(`feeds file ${path} ${why}`, undefined, { cause: error });
  }
}

/**
 * Reads and checks the feeds file before any network work, so a typo in it is a usage error
 * (exit 2) rather than a failed delivery, and the message names the line.
 */
export async function checkFeedsFile(file: FeedsFile): Promise<number> {
  const sources = readFeedList(await readFeedsText(file.path), { baseDir: dirname(file.path) });
  if (sources.length === 0) throw new UsageError(`${file.path} lists no feeds: add one feed URL per line`);
  return sources.length;
}

/** Tells the user which feeds file is used when it is not the one they named. */
export function announceFeeds(file: FeedsFile, io: Io, output: Output, examplesWindow?: string): void {
  if (file.origin !== 'examples') return;
  const shown = relative(io.cwd, file.path) || file.path;
  output.err(
    `No ./feeds.txt here and N2K_FEEDS is not set: using the bundled example feeds (${shown.startsWith('..') ? file.path : shown})` +
      `${examplesWindow ? `, with a ${examplesWindow} window since they are dated` : ''}.\n`,
  );
}
