import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from './exit-codes.js';
import type { Io } from './io.js';

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
  const { readFile } = await import('node:fs/promises');
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code})`;
    throw new UsageError(`feeds file ${path} ${why}`, undefined, { cause: error });
  }
}
