import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname } from 'node:path';
import { gzipSync } from 'node:zlib';

/** What a route answers, and which fault it injects. Every field is optional. */
export interface RouteSpec {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Serve this file from disk (streamed). Content-Type from the extension unless given. */
  file?: string;
  /** Wait this long before sending headers. */
  latencyMs?: number;
  /** Send the body in chunks of this size with `chunkDelayMs` between them (a slow body). */
  chunkBytes?: number;
  chunkDelayMs?: number;
  /** Destroy the socket: before any byte, or after half of the body. */
  reset?: 'before-headers' | 'mid-body';
  /** Stream this many bytes of filler instead of `body` (a huge body). */
  hugeBytes?: number;
  /** Send no Content-Length for huge bodies, so only a streaming limit can stop them. */
  omitLength?: boolean;
  /** Answer a redirect to this location (status 302 unless `status` says otherwise). */
  redirectTo?: string;
  /** gzip the body and say so (`content-encoding: gzip`). */
  gzip?: boolean;
  /** Answer the conditional GET: 304 when If-None-Match / If-Modified-Since match these. */
  etag?: string;
  lastModified?: string;
}

/** A route is a fixed spec, a list of specs answered in turn (the last repeats), or a function. */
export type Route = RouteSpec | RouteSpec[] | ((req: IncomingMessage, hit: number) => RouteSpec | Promise<RouteSpec>);

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  at: number;
}

export interface TestServer {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** Full URL of a path on this server. */
  at(path: string): string;
  /** Set (or replace) what a path answers. */
  route(path: string, route: Route): void;
  /** Every request received so far, in order. */
  requests: RecordedRequest[];
  /** How many requests a path has received. */
  hits(path: string): number;
  /** Most requests in flight at once so far (for concurrency limits). */
  maxInFlight(): number;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Latency added to every request (on top of a route's own). */
  latencyMs?: number;
  routes?: Record<string, Route>;
}

const TYPES: Record<string, string> = {
  '.xml': 'application/xml',
  '.rss': 'application/rss+xml',
  '.atom': 'application/atom+xml',
  '.json': 'application/json',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html',
  '.txt': 'text/plain; charset=utf-8',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.epub': 'application/epub+zip',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts a loopback HTTP server for tests and benchmarks. Unknown paths answer 404. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const routes = new Map<string, Route>(Object.entries(options.routes ?? {}));
  const counts = new Map<string, number>();
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;

  const server: Server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const hit = (counts.get(path) ?? 0) + 1;
    counts.set(path, hit);
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers, at: Date.now() });
    const route = routes.get(path) ?? routes.get(new URL(req.url ?? '/', 'http://x').pathname + '*');
    const spec: RouteSpec = !route
      ? { status: 404, body: 'not found' }
      : typeof route === 'function'
        ? await route(req, hit)
        : Array.isArray(route)
          ? (route[Math.min(hit, route.length) - 1] ?? {})
          : route;
    const latency = (options.latencyMs ?? 0) + (spec.latencyMs ?? 0);
    if (latency > 0) await sleep(latency);
    if (spec.reset === 'before-headers') {
      req.socket.destroy();
      return;
    }
    if (spec.redirectTo) {
      res.writeHead(spec.status ?? 302, { location: spec.redirectTo, ...spec.headers });
      res.end();
      return;
    }
    if (
      (spec.etag && req.headers['if-none-match'] === spec.etag) ||
      (spec.lastModified && req.headers['if-modified-since'] === spec.lastModified)
    ) {
      res.writeHead(304, { ...(spec.etag ? { etag: spec.etag } : {}) });
      res.end();
      return;
    }
    const headers: Record<string, string> = {};
    if (spec.etag) headers.etag = spec.etag;
    if (spec.lastModified) headers['last-modified'] = spec.lastModified;

    if (spec.hugeBytes !== undefined) {
      await sendHuge(res, spec, headers);
      return;
    }
    let body: Uint8Array;
    if (spec.file) {
      const info = await stat(spec.file);
      headers['content-type'] = TYPES[extname(spec.file).toLowerCase()] ?? 'application/octet-stream';
      if (!spec.gzip && !spec.chunkBytes && !spec.reset) {
        res.writeHead(spec.status ?? 200, { ...headers, 'content-length': String(info.size), ...spec.headers });
        createReadStream(spec.file).pipe(res);
        return;
      }
      const { readFile } = await import('node:fs/promises');
      body = await readFile(spec.file);
    } else {
      body = typeof spec.body === 'string' ? Buffer.from(spec.body, 'utf8') : (spec.body ?? new Uint8Array());
    }
    if (spec.gzip) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    res.writeHead(spec.status ?? 200, { ...headers, 'content-length': String(body.byteLength), ...spec.headers });
    if (spec.reset === 'mid-body') {
      res.write(body.subarray(0, Math.floor(body.byteLength / 2)));
      await sleep(10);
      req.socket.destroy();
      return;
    }
    if (spec.chunkBytes) {
      for (let i = 0; i < body.byteLength; i += spec.chunkBytes) {
        if (res.destroyed) return;
        res.write(body.subarray(i, i + spec.chunkBytes));
        await sleep(spec.chunkDelayMs ?? 100);
      }
      res.end();
      return;
    }
    res.end(body);
  }

  async function sendHuge(res: ServerResponse, spec: RouteSpec, headers: Record<string, string>): Promise<void> {
    const total = spec.hugeBytes ?? 0;
    res.writeHead(spec.status ?? 200, {
      'content-type': 'application/octet-stream',
      ...headers,
      ...(spec.omitLength ? {} : { 'content-length': String(total) }),
      ...spec.headers,
    });
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    while (sent < total && !res.destroyed) {
      const piece = chunk.subarray(0, Math.min(chunk.byteLength, total - sent));
      sent += piece.byteLength;
      if (!res.write(piece)) {
        await new Promise<void>((resolve) => {
          const done = () => {
            res.off('drain', done).off('close', done);
            resolve();
          };
          res.on('drain', done).on('close', done);
        });
      }
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    port,
    at: (path) => url + (path.startsWith('/') ? path : `/${path}`),
    route: (path, route) => {
      routes.set(path, route);
    },
    requests,
    hits: (path) => counts.get(path) ?? 0,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
