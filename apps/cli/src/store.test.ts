import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';
import { UsageError } from './exit-codes.js';
import { memoryIo } from './memory-io.js';
import { describeStore, openStore } from './store.js';

const feeds = { path: '/srv/news/feeds.txt', origin: 'flag' as const };

describe('openStore', () => {
  it('uses the file store beside the feeds file unless DATABASE_URL is set', async () => {
    const { io } = memoryIo();
    const { config } = loadConfig(io, feeds, {});
    const store = openStore(config, io);
    expect(store.name).toBe('file');
    expect(describeStore(config)).toBe('file store in /srv/news/.news2kindle');
    await store.close();
  });

  it('selects PostgreSQL with DATABASE_URL, never naming the password, and checks the schema name', async () => {
    const env = { DATABASE_URL: 'postgres://app:s3cret@db.example.org:5432/news' };
    const { io } = memoryIo({ env });
    const { config } = loadConfig(io, feeds, {});
    expect(describeStore(config)).toBe('PostgreSQL at db.example.org:5432/news');
    const store = openStore(config, io);
    expect(store.name).toBe('postgres');
    await store.close();
    const bad = memoryIo({ env: { ...env, N2K_DATABASE_SCHEMA: 'x; drop table y' } }).io;
    expect(() => openStore(config, bad)).toThrow(UsageError);
  });
});
