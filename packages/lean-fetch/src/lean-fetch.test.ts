import { execFile } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { startTestServer, type TestServer } from '@news2kindle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeanFetch, leanFetch, leanRequest } from './index.js';

const execFileAsync = promisify(execFile);

type Echo = { method: string; body: string; headers: Record<string, string | undefined> };
const echo = async (response: Response) => (await response.json()) as Echo;

const TEXT = 'Ünïcödé news — 新闻 — '.repeat(200);

let server: TestServer;
let other: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  other = await startTestServer();
  server.route('/text', { body: TEXT, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-two': 'a' } });
  server.route('/gzip', { body: TEXT, gzip: true });
  server.route('/br', { body: brotliCompressSync(Buffer.from(TEXT)), headers: { 'content-encoding': 'br' } });
  server.route('/deflate', { body: deflateSync(Buffer.from(TEXT)), headers: { 'content-encoding': 'deflate' } });
  server.route('/deflate-raw', { body: deflateRawSync(Buffer.from(TEXT)), headers: { 'content-encoding': 'deflate' } });
  server.route('/unknown-coding', { body: 'as sent', headers: { 'content-encoding': 'compress' } });
  server.route('/redirect', { redirectTo: '/hop' });
  server.route('/hop', { redirectTo: '/text', status: 301 });
  server.route('/loop', { redirectTo: '/loop' });
  server.route('/see-other', { redirectTo: '/echo', status: 303 });
  server.route('/to-other', (req) => ({
    redirectTo: other.at('/echo'),
    headers: {},
    status: 302,
    body: req.url ?? '',
  }));
  server.route('/echo', async (req) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return {
      body: JSON.stringify({ method: req.method, headers: req.headers, body: Buffer.concat(chunks).toString() }),
      headers: { 'content-type': 'application/json' },
    };
  });
  other.route('/echo', (req) => ({ body: JSON.stringify({ method: req.method, headers: req.headers }) }));
  server.route('/not-modified', { status: 304 });
  server.route('/no-content', { status: 204 });
  server.route('/missing', { status: 404, body: 'gone' });
  server.route('/slow-headers', { latencyMs: 2000, body: 'late' });
  server.route('/slow-body', { body: 'x'.repeat(64), chunkBytes: 8, chunkDelayMs: 300 });
  server.route('/reset', { reset: 'before-headers' });
  server.route('/reset-mid-body', { body: 'y'.repeat(200_000), reset: 'mid-body' });
  // 256 MB of zeros gzip to ~250 KB: a reader that stops early must not pay for the rest.
  server.route('/bomb', { body: gzipSync(Buffer.alloc(256 * 1024 * 1024)), headers: { 'content-encoding': 'gzip' } });
});

afterAll(async () => {
  await server?.close();
  await other?.close();
});

// The same behaviour is asserted of Node's built-in fetch (undici), so a difference between the
// two implementations shows up as a failure of one of them, not as a silently different contract.
describe.each([
  ['leanFetch', leanFetch],
  ['Node fetch (reference)', globalThis.fetch],
])('%s', (_name, fetch) => {
  it('returns status, headers, url and a streamed UTF-8 body', async () => {
    const response = await fetch(server.at('/text'));
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.statusText).toBe('OK');
    expect(response.url).toBe(server.at('/text'));
    expect(response.redirected).toBe(false);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('x-two')).toBe('a');
    expect(await response.text()).toBe(TEXT);
    const sent = server.requests.at(-1);
    expect(sent?.headers['accept-encoding']).toMatch(/gzip/);
  });

  it.each(['/gzip', '/br', '/deflate', '/deflate-raw'])('decodes %s bodies', async (path) => {
    const response = await fetch(server.at(path));
    expect(await response.text()).toBe(TEXT);
    expect(response.headers.get('content-encoding')).toBeTruthy();
  });

  it('passes a body with an unknown coding through as sent', async () => {
    expect(await (await fetch(server.at('/unknown-coding'))).text()).toBe('as sent');
  });

  it('stops inflating a decompression bomb when the reader cancels', async () => {
    const response = await fetch(server.at('/bomb'));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let read = 0;
    while (read < 1024 * 1024) {
      const { value, done } = await reader.read();
      if (done) break;
      read += value.byteLength;
    }
    await reader.cancel();
    expect(read).toBeGreaterThanOrEqual(1024 * 1024);
    expect(read).toBeLessThan(32 * 1024 * 1024);
  });

  it('follows redirects by default and reports the final URL', async () => {
    const response = await fetch(server.at('/redirect'));
    expect(response.status).toBe(200);
    expect(response.url).toBe(server.at('/text'));
    expect(response.redirected).toBe(true);
    expect(await response.text()).toBe(TEXT);
  });

  it("returns the redirect itself with redirect: 'manual'", async () => {
    const response = await fetch(server.at('/redirect'), { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/hop');
  });

  it("rejects a redirect with redirect: 'error' and a loop after 20 hops", async () => {
    await expect(fetch(server.at('/redirect'), { redirect: 'error' })).rejects.toBeInstanceOf(TypeError);
    const before = server.hits('/loop');
    await expect(fetch(server.at('/loop'))).rejects.toBeInstanceOf(TypeError);
    expect(server.hits('/loop') - before).toBe(21);
  });

  it('turns a POST into a GET after 303 and sends string bodies as UTF-8 text', async () => {
    const posted = await echo(await fetch(server.at('/echo'), { method: 'POST', body: 'héllo' }));
    expect(posted.body).toBe('héllo');
    expect(posted.headers['content-type']).toBe('text/plain;charset=UTF-8');
    const after = await echo(await fetch(server.at('/see-other'), { method: 'POST', body: 'x' }));
    expect(after.method).toBe('GET');
    expect(after.body).toBe('');
  });

  it('drops the Authorization header when a redirect leaves the origin', async () => {
    const same = await echo(await fetch(server.at('/echo'), { headers: { authorization: 'Bearer s3cret' } }));
    expect(same.headers.authorization).toBe('Bearer s3cret');
    const cross = await echo(await fetch(server.at('/to-other'), { headers: { authorization: 'Bearer s3cret' } }));
    expect(cross.headers.authorization).toBeUndefined();
  });

  it('gives 304, 204 and HEAD responses no body, and 404 an ok of false', async () => {
    expect((await fetch(server.at('/not-modified'))).body).toBeNull();
    expect((await fetch(server.at('/no-content'))).body).toBeNull();
    expect((await fetch(server.at('/text'), { method: 'HEAD' })).body).toBeNull();
    const missing = await fetch(server.at('/missing'));
    expect(missing.ok).toBe(false);
    expect(await missing.text()).toBe('gone');
  });

  it('rejects with the abort reason: before the request, while waiting, and while reading', async () => {
    await expect(fetch(server.at('/text'), { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    await expect(fetch(server.at('/slow-headers'), { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    const controller = new AbortController();
    const response = await fetch(server.at('/slow-body'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(response.text()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('fails with TypeError("fetch failed") carrying the network error as cause', async () => {
    const closed = createHttpServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as TypeError).message).toBe('fetch failed');
    expect(((refused as TypeError).cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    await expect(fetch(server.at('/reset'))).rejects.toBeInstanceOf(TypeError);
    const cut = await fetch(server.at('/reset-mid-body'));
    await expect(cut.arrayBuffer()).rejects.toBeTruthy();
  });

  it('refuses URLs with credentials and non-HTTP schemes with a TypeError', async () => {
    await expect(fetch('http://user:pw@127.0.0.1:1/')).rejects.toBeInstanceOf(TypeError);
    await expect(fetch('ftp://127.0.0.1/file')).rejects.toBeInstanceOf(TypeError);
    await expect(fetch('not a url')).rejects.toBeInstanceOf(TypeError);
  });
});

describe('leanRequest (the same client without the WHATWG wrapping)', () => {
  const read = async (body: NodeJS.ReadableStream | null) => {
    const chunks: Buffer[] = [];
    for await (const chunk of body ?? []) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString();
  };

  it('returns status, Node headers, the final URL and a decoded Node stream body', async () => {
    const response = await leanRequest(server.at('/redirect'));
    expect([response.status, response.statusText, response.url, response.redirected]).toEqual([
      200,
      'OK',
      server.at('/text'),
      true,
    ]);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.rawHeaders).toContain('x-two');
    expect(await read(response.body)).toBe(TEXT);
    for (const path of ['/gzip', '/br', '/deflate-raw'])
      expect(await read((await leanRequest(server.at(path))).body)).toBe(TEXT);
  });

  it('has no body for 304 and HEAD, and errors the body stream on abort', async () => {
    expect((await leanRequest(server.at('/not-modified'))).body).toBeNull();
    expect((await leanRequest(server.at('/text'), { method: 'HEAD' })).body).toBeNull();
    const controller = new AbortController();
    const slow = await leanRequest(server.at('/slow-body'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(read(slow.body)).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('sends headers given as a Headers object, as pairs or as a record, and reads a Request', async () => {
    const sent = async (init: RequestInit) =>
      JSON.parse(await read((await leanRequest(server.at('/echo'), init)).body)).headers as Record<string, string>;
    expect((await sent({ headers: new Headers({ 'X-One': 'a' }) }))['x-one']).toBe('a');
    expect(
      (
        await sent({
          headers: [
            ['X-Two', 'b'],
            ['x-two', 'c'],
          ],
        })
      )['x-two'],
    ).toBe('b, c');
    expect((await sent({ headers: { 'X-Three': 'd' } }))['x-three']).toBe('d');
    const viaRequest = await leanRequest(
      new Request(server.at('/echo'), { method: 'POST', body: 'hi', headers: { 'x-four': 'e' } }),
    );
    expect(JSON.parse(await read(viaRequest.body))).toMatchObject({
      method: 'POST',
      body: 'hi',
      headers: { 'x-four': 'e' },
    });
  });

  it('leaves undici unloaded when given a URL string and plain headers (a fresh process)', async () => {
    // On Node 20 merely reading the global Request or Headers loads undici (~1.4 MB of live heap
    // measured in the feed-fetcher bench); a process that only uses leanRequest must not pay it.
    const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `const { leanRequest } = await import(${JSON.stringify(pathToFileURL(dist).href)});
      const response = await leanRequest(process.argv[1], { headers: { 'x-a': '1' } });
      for await (const _ of response.body) {}
      console.log(JSON.stringify({ status: response.status, undici: process.moduleLoadList.some((m) => m.includes('undici')) }));`;
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script, server.at('/text')]);
    expect(JSON.parse(stdout)).toEqual({ status: 200, undici: false });
  });

  it('frees the connection when the caller destroys a body it does not want', async () => {
    const response = await leanRequest(server.at('/bomb'));
    response.body?.destroy();
    expect(await read((await leanRequest(server.at('/text'))).body)).toBe(TEXT);
  });
});

describe('leanFetch connections', () => {
  it('reuses one keep-alive connection for sequential requests', async () => {
    const sockets = new Set<Socket>();
    const plain = createHttpServer((_req, res) => res.end('ok'));
    plain.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/`;
    const fetch = createLeanFetch();
    for (let i = 0; i < 5; i++) expect(await (await fetch(url)).text()).toBe('ok');
    expect(sockets.size).toBe(1);
    plain.closeAllConnections();
    await new Promise((resolve) => plain.close(resolve));
  });

  it('retries once on a fresh socket when the server dropped a reused one', async () => {
    // The server answers the first request on each connection and resets the connection on the
    // second, which is what a server that closed an idle keep-alive socket looks like to a client.
    const perSocket = new WeakMap<Socket, number>();
    let connections = 0;
    const flaky = createHttpServer((req, res) => {
      const seen = (perSocket.get(req.socket) ?? 0) + 1;
      perSocket.set(req.socket, seen);
      if (seen > 1) req.socket.destroy();
      else res.end(`answer ${connections}`);
    });
    flaky.on('connection', () => connections++);
    await new Promise<void>((resolve) => flaky.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(flaky.address() as AddressInfo).port}/`;
    const fetch = createLeanFetch();
    expect(await (await fetch(url)).text()).toBe('answer 1');
    expect(await (await fetch(url)).text()).toBe('answer 2');
    expect(connections).toBe(2);
    // A POST is not repeated: the server may have acted on it.
    await expect(fetch(url, { method: 'POST', body: 'once' })).rejects.toBeInstanceOf(TypeError);
    flaky.closeAllConnections();
    await new Promise((resolve) => flaky.close(resolve));
  });

  it('fails a request whose socket stays silent longer than inactivityMs', async () => {
    const fetch = createLeanFetch({ inactivityMs: 150 });
    const failure = await fetch(server.at('/slow-headers')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TypeError);
    expect(((failure as TypeError).cause as NodeJS.ErrnoException).code).toBe('UND_ERR_SOCKET_TIMEOUT');
  });
});
