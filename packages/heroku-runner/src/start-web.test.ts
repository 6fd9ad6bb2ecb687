import { EventEmitter } from 'node:events';
import { type RequestListener, request } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { InvalidPortError, startWeb } from './index.js';

const fakeProcess = () => new EventEmitter() as EventEmitter & { emit(event: 'SIGTERM' | 'SIGINT'): boolean };

function get(port: number, path = '/'): Promise<{ status: number; body: string; connection?: string }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    })
      .on('error', reject)
      .end();
  });
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });

describe('startWeb', () => {
  it('binds before the handler is ready; early requests wait for it', async () => {
    let ready!: (h: RequestListener) => void;
    const handler = new Promise<RequestListener>((resolve) => {
      ready = resolve;
    });
    const web = await startWeb({ port: 0, host: '127.0.0.1', handler, signals: fakeProcess(), exit: null });
    expect(web.port).toBeGreaterThan(0);
    const pending = get(web.port);
    ready((_req, res) => res.end('hello'));
    expect(await pending).toMatchObject({ status: 200, body: 'hello' });
    await web.shutdown();
  });

  it('on SIGTERM stops accepting, finishes the request in flight, then exits 0', async () => {
    const proc = fakeProcess();
    const exits: number[] = [];
    let shutdownCalls = 0;
    let release!: () => void;
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const web = await startWeb({
      port: 0,
      host: '127.0.0.1',
      handler: async (req, res) => {
        if (req.url === '/slow') await slow;
        res.end(`done ${req.url}`);
      },
      onShutdown: () => {
        shutdownCalls++;
      },
      signals: proc,
      exit: (code) => exits.push(code),
    });
    const inFlight = get(web.port, '/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    proc.emit('SIGTERM');
    expect(await refused(web.port)).toBe(true);
    release();
    expect(await inFlight).toMatchObject({ status: 200, body: 'done /slow' });
    expect(await web.closed).toBe(0);
    expect([exits, shutdownCalls, proc.listenerCount('SIGTERM'), proc.listenerCount('SIGINT')]).toEqual([[0], 1, 0, 0]);
  });

  it('cuts requests that outlive the shutdown timeout and exits 1', async () => {
    const proc = fakeProcess();
    const web = await startWeb({
      port: 0,
      host: '127.0.0.1',
      handler: () => new Promise(() => {}),
      shutdownTimeoutMs: 100,
      signals: proc,
      exit: null,
    });
    const hung = get(web.port).catch((error: Error) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    proc.emit('SIGINT');
    expect(await web.closed).toBe(1);
    expect(await hung).toBeInstanceOf(Error);
  });

  it('does not wait for a hung onShutdown past the budget', async () => {
    const lines: string[] = [];
    const web = await startWeb({
      port: 0,
      host: '127.0.0.1',
      handler: (_req, res) => res.end(),
      onShutdown: () => new Promise(() => {}),
      shutdownTimeoutMs: 100,
      signals: fakeProcess(),
      exit: null,
      log: (l) => lines.push(l),
    });
    const started = Date.now();
    expect(await web.shutdown()).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lines.join('\n')).toContain('onShutdown still running');
  });

  it('answers 500 when the handler throws, and 503 when initialisation failed', async () => {
    const lines: string[] = [];
    const web = await startWeb({
      port: 0,
      host: '127.0.0.1',
      handler: () => {
        throw new Error('boom');
      },
      signals: fakeProcess(),
      exit: null,
      log: (l) => lines.push(l),
    });
    expect((await get(web.port)).status).toBe(500);
    expect(lines.join('\n')).toContain('boom');
    await web.shutdown();
    const broken = await startWeb({
      port: 0,
      host: '127.0.0.1',
      handler: Promise.reject(new Error('no database')),
      signals: fakeProcess(),
      exit: null,
    });
    expect((await get(broken.port)).status).toBe(503);
    await broken.shutdown();
  });

  it('rejects a missing or invalid port and a port in use', async () => {
    for (const port of [undefined, 'abc', '70000']) {
      await expect(startWeb({ port, handler: () => {}, signals: fakeProcess(), exit: null })).rejects.toBeInstanceOf(
        InvalidPortError,
      );
    }
    const first = await startWeb({ port: 0, host: '127.0.0.1', handler: () => {}, signals: fakeProcess(), exit: null });
    await expect(
      startWeb({ port: first.port, host: '127.0.0.1', handler: () => {}, signals: fakeProcess(), exit: null }),
    ).rejects.toMatchObject({ code: 'BIND_FAILED', port: first.port });
    await first.shutdown();
  });
});
