import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './http-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('startTestServer', () => {
  it('serves bodies and counts hits, 404 for unknown paths', async () => {
    server.route('/a', { body: 'hello', headers: { 'content-type': 'text/plain' } });
    expect(await (await fetch(server.at('/a'))).text()).toBe('hello');
    expect((await fetch(server.at('/nope'))).status).toBe(404);
    expect(server.hits('/a')).toBe(1);
  });
  it('answers a sequence of specs, the last repeating', async () => {
    server.route('/seq', [{ status: 500 }, { status: 200, body: 'ok' }]);
    expect((await fetch(server.at('/seq'))).status).toBe(500);
    expect((await fetch(server.at('/seq'))).status).toBe(200);
    expect((await fetch(server.at('/seq'))).status).toBe(200);
  });
  it('redirects and answers conditional GETs with 304', async () => {
    server.route('/r', { redirectTo: '/e' });
    server.route('/e', { body: 'x', etag: '"v1"' });
    const res = await fetch(server.at('/r'));
    expect(res.url).toBe(server.at('/e'));
    expect(res.headers.get('etag')).toBe('"v1"');
    expect((await fetch(server.at('/e'), { headers: { 'if-none-match': '"v1"' } })).status).toBe(304);
  });
  it('injects latency, gzip, resets and huge bodies', async () => {
    server.route('/slow', { body: 'late', latencyMs: 120 });
    const start = Date.now();
    await (await fetch(server.at('/slow'))).text();
    expect(Date.now() - start).toBeGreaterThanOrEqual(110);

    server.route('/gz', { body: 'zipped', gzip: true });
    const raw = await new Promise<Buffer>((resolve, reject) => {
      import('node:http').then(({ get }) =>
        get(server.at('/gz'), (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c)).on('end', () => resolve(Buffer.concat(parts)));
        }).on('error', reject),
      );
    });
    expect(gunzipSync(raw).toString()).toBe('zipped');

    server.route('/reset', { reset: 'before-headers' });
    await expect(fetch(server.at('/reset'))).rejects.toThrow();

    server.route('/huge', { hugeBytes: 3 * 1024 * 1024, omitLength: true });
    const huge = await fetch(server.at('/huge'));
    expect(huge.headers.get('content-length')).toBeNull();
    expect((await huge.arrayBuffer()).byteLength).toBe(3 * 1024 * 1024);
  });
});
