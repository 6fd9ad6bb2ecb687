import type { RequestListener } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StateStore } from '@news2kindle/pipeline';
import { createMemoryStore } from '@news2kindle/pipeline/memory-store';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppOptions, createApp } from './app.js';
import type { LaunchResult } from './job-launcher.js';
import { sampleChange } from './test-process.js';

const servers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of servers.splice(0)) await close();
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function options(overrides: Partial<AppOptions> = {}): AppOptions {
  return {
    store: createMemoryStore(),
    storeInfo: { kind: 'postgres', detail: 'test' },
    loadFeeds: async () => ({
      origin: 'feeds.txt',
      feeds: [{ url: 'https://news.example.org/rss', title: 'Example News' }],
    }),
    startDelivery: () => ({ started: true, pid: 42 }),
    version: '1.2.3',
    now: () => new Date('2026-11-29T06:00:00Z'),
    ...overrides,
  };
}

describe('web routes', () => {
  it('without a token the trigger is off (404) and the page says how to turn it on', async () => {
    let launches = 0;
    const startDelivery = (): LaunchResult => {
      launches++;
      return { started: true, pid: 1 };
    };
    const url = await serve(createApp(options({ startDelivery })));
    const res = await fetch(`${url}/deliveries`, { method: 'POST', headers: { authorization: 'Bearer anything' } });
    expect(res.status).toBe(404);
    expect(launches).toBe(0);
    expect(await (await fetch(url)).text()).toContain('endpoint is off');
  });

  it('with a token: 401 for a wrong one, 202 then 409 while a delivery runs', async () => {
    const results: LaunchResult[] = [
      { started: true, pid: 7 },
      { started: false, reason: 'busy' },
    ];
    const url = await serve(createApp(options({ triggerToken: 'tok-123', startDelivery: () => results.shift()! })));
    const post = (auth?: string) =>
      fetch(`${url}/deliveries`, { method: 'POST', headers: auth ? { authorization: auth } : {} });
    expect((await post('Bearer tok-12')).status).toBe(401);
    expect((await post('bearer tok-123')).status).toBe(202);
    expect((await post('Bearer tok-123')).status).toBe(409);
  });

  it('answers HEAD, refuses other methods with 405, and unknown paths with 404', async () => {
    const url = await serve(createApp(options()));
    const head = await fetch(url, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
    const put = await fetch(url, { method: 'PUT' });
    expect([put.status, put.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    expect((await fetch(`${url}/deliveries`)).status).toBe(405);
    expect((await fetch(`${url}/static/../../etc/passwd`)).status).toBe(404);
  });

  it('renders the history from the store, newest first, with the feed titles', async () => {
    const store = createMemoryStore();
    await store.commit(sampleChange());
    await store.commit({
      run: {
        id: 'r2',
        startedAt: new Date('2026-11-29T05:30:00Z'),
        finishedAt: new Date('2026-11-29T05:30:40Z'),
        outcome: 'failed',
        counts: { feeds: 2, failedFeeds: 0, articles: 0, volumes: 0, bytes: 0 },
        error: 'SMTP 535 authentication failed',
      },
    });
    const url = await serve(createApp(options({ store, schedule: 'daily at 05:30 UTC' })));
    const html = await (await fetch(url)).text();
    expect(html.indexOf('2026-11-29 05:30 UTC')).toBeLessThan(html.indexOf('2026-11-28 05:30 UTC'));
    expect(html).toContain('Last run 29 min ago: Failed');
    expect(html).toContain('SMTP 535 authentication failed');
    expect(html).toContain('Example News');
    expect(html).toContain('scheduled daily at 05:30 UTC');
    expect(html).not.toContain('Local history');
  });

  it('shows a store outage on the page and as 503 on /healthz without leaking the error text', async () => {
    const broken = {
      ...createMemoryStore(),
      runs: () =>
        Promise.reject(Object.assign(new Error('password authentication failed for "admin:pw"'), { code: '28P01' })),
    } as StateStore;
    const url = await serve(createApp(options({ store: broken })));
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(503);
    const body = JSON.stringify(await health.json());
    expect(body).toContain('28P01');
    expect(body).not.toContain('pw');
    const html = await (await fetch(url)).text();
    expect(html).toContain('The history could not be read');
    expect(html).not.toContain('admin:pw');
  });
});
