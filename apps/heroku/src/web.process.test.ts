import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningProcess,
  WEB_JS,
  freePort,
  requireBuilt,
  seedFileHistory,
  startProcess,
  waitForPort,
} from './test-process.js';

const TOKEN = randomBytes(24).toString('hex');
const dir = mkdtempSync(join(tmpdir(), 'n2k-heroku-web-'));

describe('the built web process as a web dyno', () => {
  let web: RunningProcess;
  let port: number;
  let acceptMs: number;
  const base = () => `http://127.0.0.1:${port}`;

  beforeAll(async () => {
    requireBuilt();
    const seeded = await seedFileHistory(dir);
    port = await freePort();
    const started = performance.now();
    web = startProcess(process.execPath, [WEB_JS], {
      ...seeded,
      PORT: String(port),
      DYNO: 'web.1',
      N2K_TRIGGER_TOKEN: TOKEN,
      EMAIL_PASSWORD: 'smtp-password-never-shown',
    });
    await waitForPort(port, 10_000, web.child);
    acceptMs = performance.now() - started;
    console.log(
      `[heroku] web process accepted connections ${acceptMs.toFixed(0)} ms after spawn (R10 limit: 60 000 ms)`,
    );
  });

  afterAll(() => {
    if (web?.child.exitCode === null) web.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts connections on $PORT far inside the 60 s boot limit', () => {
    expect(acceptMs).toBeLessThan(5_000);
  });

  it('answers /healthz', async () => {
    const res = await fetch(`${base()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', store: 'file', lastRun: { outcome: 'delivered' } });
  });

  it('serves the status page with the delivery, the failing feed and why, and no secrets', async () => {
    const res = await fetch(base());
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('2026-11-28 05:30 UTC');
    expect(html).toContain('17 articles');
    expect(html).toContain('1.5 MB');
    expect(html).toContain('HTTP 503 Service Unavailable');
    expect(html).toContain('127.0.0.1:9/news/rss');
    expect(html).toContain('Local history');
    expect(html).not.toMatch(/<script/i);
    for (const secret of ['hunter2', 's3cr3t', 'smtp-password-never-shown', TOKEN]) expect(html).not.toContain(secret);
  });

  it('refuses the trigger without a token or with a wrong one, and accepts the right one', async () => {
    const post = (headers: Record<string, string> = {}) => fetch(`${base()}/deliveries`, { method: 'POST', headers });
    const none = await post();
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    expect((await post({ authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await post({ authorization: `Basic ${TOKEN}` })).status).toBe(401);
    const ok = await post({ authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(202);
    expect(await ok.json()).toMatchObject({ status: 'started', pid: expect.any(Number) });
    // The started job is the real `news2kindle send`: its run lands in the history the page reads
    // (it fails, since the test feeds point at a closed loopback port).
    const deadline = Date.now() + 20_000;
    let lastRun: { at: string; outcome: string } | undefined;
    while (Date.now() < deadline) {
      lastRun = ((await (await fetch(`${base()}/healthz`)).json()) as { lastRun?: typeof lastRun }).lastRun;
      if (lastRun && lastRun.at !== '2026-11-28T05:30:00.000Z') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(lastRun?.at, web.output()).not.toBe('2026-11-28T05:30:00.000Z');
    const ended = /delivery \(pid \d+\) ended with exit \d+/;
    while (Date.now() < deadline && !ended.test(web.output())) await new Promise((r) => setTimeout(r, 50));
    expect(web.output()).toMatch(ended);
  });

  it('does not serve files from disk', async () => {
    for (const path of ['/feeds.txt', '/package.json', '/../../package.json', '/dist/web.js', '/state/state.json']) {
      const res = await fetch(`${base()}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('news2kindle');
    }
  });

  it('exits 0 on SIGTERM well inside the 30 s before SIGKILL', async () => {
    const started = performance.now();
    web.child.kill('SIGTERM');
    const code = await web.exited;
    const ms = performance.now() - started;
    console.log(`[heroku] web process exited ${code} ${ms.toFixed(0)} ms after SIGTERM (SIGKILL at 30 000 ms)`);
    expect(code).toBe(0);
    expect(ms).toBeLessThan(30_000);
    expect(web.output()).toContain('web: stopped (exit 0)');
    expect(web.output()).not.toContain('smtp-password-never-shown');
  });
});
