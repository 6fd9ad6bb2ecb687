import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliRun,
  type Mailbox,
  type Site,
  runCli,
  startMailbox,
  startSite,
  tempDir,
  workspace,
} from './harness.js';

let site: Site;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let mailbox: Mailbox;

beforeAll(async () => {
  site = await startSite({ slowMs: 300 });
  tmp = await tempDir('n2k-e2e-twice-');
  mailbox = await startMailbox(tmp.dir);
});
afterAll(async () => {
  await mailbox?.smtp.close();
  await site?.server.close();
  await tmp?.remove();
});

/** Two deliveries started at the same moment, as Heroku Scheduler sometimes does. */
async function twice(env: Record<string, string>, cwd: string): Promise<CliRun[]> {
  const runs = await Promise.all([runCli(['send', '--json'], { env, cwd }), runCli(['send', '--json'], { env, cwd })]);
  for (const run of runs) expect([0, 1], run.stderr).toContain(run.code);
  return runs;
}

function outcomes(runs: CliRun[]): string[] {
  return runs.map((run) => (run.code === 0 ? JSON.parse(run.stdout).outcome : 'locked')).sort();
}

const DATABASE_URL = process.env.TEST_DATABASE_URL;
if (!DATABASE_URL && process.env.CI === 'true') throw new Error('TEST_DATABASE_URL is required when CI=true');
if (!DATABASE_URL) console.warn('[cli] TEST_DATABASE_URL is unset: the PostgreSQL concurrency test is skipped');

describe('two deliveries at once', { timeout: 120_000 }, () => {
  it('deliver once with the file store', async () => {
    const ws = await workspace(tmp.dir, 'file', site, false);
    const before = mailbox.smtp.messages.length;
    const runs = await twice({ ...mailbox.env, ...ws.env }, ws.dir);
    expect(mailbox.smtp.messages.length - before).toBe(1);
    expect(outcomes(runs)).toContain('delivered');
    expect(outcomes(runs)).not.toEqual(['delivered', 'delivered']);
  });

  it.skipIf(!DATABASE_URL)('deliver once with the PostgreSQL store', async () => {
    const schema = `n2k_cli_${randomBytes(4).toString('hex')}`;
    const ws = await workspace(tmp.dir, 'pg', site, false);
    const env = { ...mailbox.env, N2K_FEEDS: ws.feeds, DATABASE_URL: DATABASE_URL!, N2K_DATABASE_SCHEMA: schema };
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      const before = mailbox.smtp.messages.length;
      const runs = await twice(env, ws.dir);
      expect(mailbox.smtp.messages.length - before).toBe(1);
      expect(outcomes(runs)).toContain('delivered');
      const tables = await client.query('select table_name from information_schema.tables where table_schema = $1', [
        schema,
      ]);
      expect(tables.rowCount).toBeGreaterThan(0);
      const again = await runCli(['send', '--json'], { env, cwd: ws.dir });
      expect(JSON.parse(again.stdout).outcome).toBe('nothing-new');
    } finally {
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  });
});
