import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { connectionFor, createPostgresStore, isLoopbackUrl } from './postgres-store.js';
import { testDatabaseUrl } from './test-site.js';
import { testStateStore } from './testing.js';

const url = testDatabaseUrl();
// Other engineers share the database: one schema of our own per run, dropped at the end.
const schema = `n2k_pipeline_${randomUUID().replace(/-/g, '').slice(0, 10)}`;

if (url) {
  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  testStateStore('postgres', async () => {
    const tablePrefix = `t${randomUUID().replace(/-/g, '').slice(0, 8)}_`;
    return { open: () => createPostgresStore({ connectionString: url, schema, tablePrefix }) };
  });

  describe('postgres store', () => {
    it('creates its tables once even when several stores start together', async () => {
      const tablePrefix = `race_${randomUUID().slice(0, 8)}_`;
      const stores = Array.from({ length: 4 }, () =>
        createPostgresStore({ connectionString: url, schema, tablePrefix }),
      );
      try {
        await Promise.all(stores.map((s, i) => s.commit({ feeds: [{ url: `f${i}`, lastStatus: 'ok' }] })));
        expect((await stores[0]!.feedStates()).size).toBe(4);
      } finally {
        await Promise.all(stores.map((s) => s.close()));
      }
    });

    it('reports a database it cannot reach as STORE_FAILED without the password', async () => {
      const store = createPostgresStore({ connectionString: 'postgres://user:s3cret-pw@127.0.0.1:1/none' });
      try {
        const error = await store.feedStates().catch((e: unknown) => e);
        expect(error).toMatchObject({ code: 'STORE_FAILED' });
        expect(String((error as Error).message)).not.toContain('s3cret-pw');
      } finally {
        await store.close();
      }
    });
  });
} else {
  describe.skip('postgres store (TEST_DATABASE_URL unset)', () => {
    it('needs PostgreSQL', () => {});
  });
}

describe('postgres TLS choice', () => {
  it('uses no TLS on loopback and lenient TLS elsewhere, as Heroku Postgres needs', () => {
    expect(isLoopbackUrl('postgres://postgres@127.0.0.1:5432/test')).toBe(true);
    expect(isLoopbackUrl('postgres://u:p@localhost/db')).toBe(true);
    expect(isLoopbackUrl('postgres://u:p@[::1]:5432/db')).toBe(true);
    expect(isLoopbackUrl('postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d8x')).toBe(false);
    expect(connectionFor({ connectionString: 'postgres://u@localhost/db' }).ssl).toBe(false);
    expect(connectionFor({ connectionString: 'postgres://u:p@db.example.com/x' }).ssl).toEqual({
      rejectUnauthorized: false,
    });
  });

  it('drops sslmode from the URL, since it would override the TLS setting', () => {
    const config = connectionFor({ connectionString: 'postgres://u:p@db.example.com:5432/x?sslmode=require' });
    expect(config.connectionString).toBe('postgres://u:p@db.example.com:5432/x');
    expect(connectionFor({ connectionString: 'postgres://u@db.example.com/x', ssl: true }).ssl).toBe(true);
  });
});
