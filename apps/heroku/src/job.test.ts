import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFileStore } from '@news2kindle/pipeline/file-store';
import { createPostgresStore } from '@news2kindle/pipeline/postgres-store';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { WEB_JS, freePort, requireBuilt, startProcess, waitForPort } from './test-process.js';

// The delivery job as Heroku Scheduler and `heroku run` start it: the same command, once, in a
// fresh process, with nothing on disk shared between runs but what the environment points at.
const CLI = fileURLToPath(new URL('../../cli/dist/cli.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'n2k-heroku-job-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `news2kindle send` as a one-off dyno would; the bundled example feeds are local files. */
function oneOff(name: string, env: Record<string, string>) {
  return startProcess(process.execPath, [CLI, 'send'], { DYNO: name, ...env }, dir);
}

const emls = (folder: string) => {
  try {
    return readdirSync(folder).filter((f) => f.endsWith('.eml'));
  } catch {
    return [];
  }
};

function databaseUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return url;
  if (process.env.CI === 'true') throw new Error('TEST_DATABASE_URL is unset; it is required when CI=true');
  console.warn('[heroku] TEST_DATABASE_URL is unset: the PostgreSQL job tests are skipped');
  return undefined;
}

describe('the delivery job as a one-off dyno', () => {
  it('runs once and exits; a second run (Scheduler can start one twice) sends nothing again', async () => {
    requireBuilt();
    const env = { N2K_OUTBOX: join(dir, 'file-outbox'), N2K_DATA_DIR: join(dir, 'file-state') };
    const first = oneOff('run.1001', env);
    expect(await first.exited, first.output()).toBe(0);
    expect(emls(env.N2K_OUTBOX)).toHaveLength(1);
    const second = oneOff('scheduler.1002', env);
    expect(await second.exited, second.output()).toBe(0);
    expect(emls(env.N2K_OUTBOX)).toHaveLength(1);
    const store = createFileStore({ dir: env.N2K_DATA_DIR });
    const runs = await store.runs();
    await store.close();
    expect(runs.map((r) => r.outcome)).toEqual(['nothing-new', 'delivered']);
  });
});

const url = databaseUrl();
describe.skipIf(!url)('two Scheduler runs at once against PostgreSQL, then the web dyno reading them', () => {
  const schema = `n2k_heroku_${randomUUID().replace(/-/g, '').slice(0, 10)}`;

  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  });

  it('delivers once, and the web dyno shows that delivery from the shared database', async () => {
    requireBuilt();
    const shared = { DATABASE_URL: url!, N2K_DATABASE_SCHEMA: schema };
    // Each dyno has its own disk: separate outboxes, as on Heroku.
    const jobs = [1, 2].map((n) => ({
      outbox: join(dir, `pg-outbox-${n}`),
      proc: oneOff(`scheduler.${2000 + n}`, { ...shared, N2K_OUTBOX: join(dir, `pg-outbox-${n}`) }),
    }));
    const codes = await Promise.all(jobs.map((j) => j.proc.exited));
    const sent = jobs.flatMap((j) => emls(j.outbox));
    const output = jobs.map((j) => j.proc.output()).join('\n---\n');
    console.log(`[heroku] two runs at once: exit codes ${codes.join(' and ')}, ${sent.length} message(s) sent`);
    expect(sent, output).toHaveLength(1);
    // The loser either waited for the lock and found nothing new (0) or gave up on it (non-zero);
    // it never sends a second copy.
    expect(codes.filter((c) => c === 0).length, output).toBeGreaterThanOrEqual(1);

    const store = createPostgresStore({ connectionString: url!, schema });
    const runs = await store.runs();
    await store.close();
    expect(
      runs.filter((r) => r.outcome === 'delivered'),
      output,
    ).toHaveLength(1);
    const delivered = runs.find((r) => r.outcome === 'delivered')!;

    const port = await freePort();
    const web = startProcess(process.execPath, [WEB_JS], { ...shared, PORT: String(port), DYNO: 'web.1' }, dir);
    try {
      await waitForPort(port, 10_000, web.child);
      const html = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      expect(html).toContain('history from the postgres store');
      expect(html).not.toContain('Local history');
      expect(html).toContain(`${delivered.counts.articles} articles`);
      expect(html).not.toContain(url!);
      const health = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
      expect(health).toMatchObject({ status: 'ok', store: 'postgres', lastRun: { outcome: runs[0]?.outcome } });
    } finally {
      web.child.kill('SIGTERM');
      expect(await web.exited).toBe(0);
    }
  });
});
