import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Site, runCli, startMailbox, startSite, tempDir, workspace } from './harness.js';

let site: Site;
let tmp: Awaited<ReturnType<typeof tempDir>>;

beforeAll(async () => {
  site = await startSite();
  tmp = await tempDir('n2k-e2e-fail-');
});
afterAll(async () => {
  await site?.server.close();
  await tmp?.remove();
});

describe('news2kindle send when things go wrong', { timeout: 120_000 }, () => {
  it('exits 1 with SMTP down, records nothing, and the next run (SMTP back) sends everything', async () => {
    const ws = await workspace(tmp.dir, 'smtp-down', site, false);
    const first = await startMailbox(ws.dir);
    const port = first.smtp.port;
    await first.smtp.close();
    const env = { ...first.env, ...ws.env };
    const down = await runCli(['send', '--json'], { env, cwd: ws.dir });
    expect(down.code, down.stderr).toBe(1);
    const failed = JSON.parse(down.stdout);
    expect(failed.outcome).toBe('failed');
    expect(failed.delivered).toBe(0);
    expect(failed.error.message).toMatch(/127\.0\.0\.1/);
    expect(down.stdout + down.stderr).not.toContain(first.password);

    const back = await startMailbox(ws.dir, port);
    try {
      const run = await runCli(['send', '--json'], { env, cwd: ws.dir });
      expect(run.code, run.stderr).toBe(0);
      const report = JSON.parse(run.stdout);
      expect(report.outcome).toBe('delivered');
      expect(report.articles).toBe(site.titles.length);
      expect(back.smtp.messages).toHaveLength(1);
    } finally {
      await back.smtp.close();
    }
  });

  it('aborts on SIGTERM mid-run with exit 143, leaving the state untouched', async () => {
    const ws = await workspace(tmp.dir, 'sigterm', site, false);
    const mailbox = await startMailbox(ws.dir);
    try {
      site.setSlowMs(5_000);
      const env = { ...mailbox.env, ...ws.env };
      const killed = await runCli(['send'], {
        env,
        cwd: ws.dir,
        onStderr: { match: /feeds 2\/3 fetched/, act: (child) => child.kill('SIGTERM') },
      });
      expect(killed.code, killed.stderr).toBe(143);
      expect(killed.stderr).toMatch(/interrupted by SIGTERM: nothing was sent or recorded/);
      expect(mailbox.smtp.messages).toHaveLength(0);
      const state = await readFile(join(ws.data, 'state.json'), 'utf8').catch(() => '{}');
      expect(state).not.toContain('river-1');

      site.setSlowMs(0);
      const run = await runCli(['send', '--json'], { env, cwd: ws.dir });
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).articles).toBe(site.titles.length);
      expect(mailbox.smtp.messages).toHaveLength(1);
    } finally {
      site.setSlowMs(800);
      await mailbox.smtp.close();
    }
  });

  it('exits 1 when every feed fails: an outage is not a quiet day', async () => {
    const ws = await workspace(tmp.dir, 'all-broken', site);
    await writeFile(ws.feeds, `${site.server.at('/feeds/broken.xml')}\n`);
    const run = await runCli(['send'], { env: ws.env, cwd: ws.dir });
    expect(run.code, run.stderr).toBe(1);
    expect(run.stdout).toContain('Every feed failed (1)');
  });

  it('exits 2 on bad configuration or usage, naming every variable and never the password', async () => {
    const ws = await workspace(tmp.dir, 'config', site);
    const feedRequests = () => site.server.requests.filter((r) => r.path.startsWith('/feeds/')).length;
    const before = feedRequests();
    const run = await runCli(['send'], {
      env: {
        ...ws.env,
        SMTP_URL: 'smtp://robot:TopSecret99@127.0.0.1:2525',
        N2K_FORMAT: 'pdf',
        N2K_MAX_PER_FEED: 'lots',
      },
      cwd: ws.dir,
    });
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/N2K_FORMAT \(format\): expected epub, azw3 or mobi, received "pdf"/);
    expect(run.stderr).toContain('N2K_MAX_PER_FEED');
    expect(run.stderr).toContain('EMAIL_FROM');
    expect(run.stderr).not.toContain('TopSecret99');
    // Invalid configuration stops before any network work.
    expect(feedRequests()).toBe(before);

    const usage = await runCli(['send', '--max-per-feed', '0'], { env: ws.env, cwd: ws.dir });
    expect(usage.code, usage.stderr).toBe(2);
    expect(usage.stderr).toContain('--max-per-feed 0');
    const unknown = await runCli(['build', '--out', 'x.epub', '--colour'], { env: ws.env, cwd: ws.dir });
    expect(unknown.code, unknown.stderr).toBe(2);
    expect(unknown.stderr).toContain('unknown option --colour');
    const badFeeds = await runCli(['send', '--feeds', join(ws.dir, 'missing.txt')], { env: ws.env, cwd: ws.dir });
    expect(badFeeds.code, badFeeds.stderr).toBe(2);
    expect(badFeeds.stderr).toMatch(/missing\.txt does not exist/);
  });
});
