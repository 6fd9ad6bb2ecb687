import type { Config, StateStore } from '@news2kindle/pipeline';
import { createFileStore } from '@news2kindle/pipeline/file-store';
import { createPostgresStore } from '@news2kindle/pipeline/postgres-store';
import { UsageError } from './exit-codes.js';
import type { Io } from './io.js';

/** Where the state lives, in words for the summary (never with credentials). */
export function describeStore(config: Config): string {
  if (config.databaseUrl) {
    const url = new URL(config.databaseUrl);
    return `PostgreSQL at ${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  }
  return `file store in ${config.dataDir}`;
}

/** DATABASE_URL selects PostgreSQL (Heroku); otherwise the embedded file store in the data folder. */
export function openStore(config: Config, io: Io): StateStore {
  if (config.databaseUrl) {
    const schema = io.env.N2K_DATABASE_SCHEMA?.trim();
    if (schema && !/^[A-Za-z_][A-Za-z0-9_]{0,40}$/.test(schema)) {
      throw new UsageError(`N2K_DATABASE_SCHEMA="${schema}": expected a plain SQL identifier such as news2kindle`);
    }
    return createPostgresStore({ connectionString: config.databaseUrl, ...(schema ? { schema } : {}) });
  }
  if (!config.dataDir) throw new Error('no data folder: set N2K_DATA_DIR or --data-dir');
  return createFileStore({ dir: config.dataDir });
}
