import { type IncomingMessage, type RequestListener, type Server, type ServerResponse, createServer } from 'node:http';
import { parsePort } from './dyno-info.js';
import { BindError, InvalidPortError } from './errors.js';
import {
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  type ExitFn,
  type SignalSource,
  defaultExit,
  onShutdownSignal,
} from './process-handle.js';

export interface StartWebOptions {
  /** The port to bind: pass `process.env.PORT` (a string is fine). Required; invalid → `InvalidPortError`. */
  port: number | string | undefined;
  /** Address to bind. Default `0.0.0.0`: Heroku's router cannot reach a process bound to localhost. */
  host?: string;
  /**
   * The request handler, or a promise of it. The port is bound before the promise settles, so slow
   * initialisation (database pools, config) never delays the boot check (R10); requests that
   * arrive meanwhile wait for it.
   */
  handler: RequestListener | Promise<RequestListener>;
  /** Called once after the server drained on SIGTERM/SIGINT (close pools here). */
  onShutdown?: (signal: string) => void | Promise<void>;
  /** Longest wait for in-flight requests before their connections are cut. Default 25 000 ms. */
  shutdownTimeoutMs?: number;
  /** Where SIGTERM/SIGINT come from. Default `process`. */
  signals?: SignalSource;
  /** Ends the process after shutdown. Default `process.exit`; `null` only resolves `closed`. */
  exit?: ExitFn;
  /** Receives one line per lifecycle event (bound, shutting down, drained). Default: silent. */
  log?: (message: string) => void;
}

export interface WebProcess {
  server: Server;
  host: string;
  /** The port actually bound (differs from the option only when it was 0). */
  port: number;
  /** Starts the same shutdown SIGTERM starts; resolves with the exit code. */
  shutdown(reason?: string): Promise<number>;
  /** Resolves with the exit code once shut down: 0 drained, 1 connections cut or `onShutdown` failed. */
  closed: Promise<number>;
}

/** Binds the web process's port at once and wires SIGTERM to a graceful, bounded shutdown. */
export async function startWeb(options: StartWebOptions): Promise<WebProcess> {
  const port = options.port === 0 ? 0 : parsePort(options.port);
  if (port === undefined) throw new InvalidPortError(options.port);
  const host = options.host ?? '0.0.0.0';
  const log = options.log ?? (() => {});
  const exit = options.exit === undefined ? defaultExit : options.exit;
  const timeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;

  let handler: RequestListener | undefined;
  let handlerError: unknown;
  const ready = Promise.resolve(options.handler).then(
    (h) => {
      handler = h;
    },
    (error: unknown) => {
      handlerError = error;
      log(`web: initialisation failed: ${(error as Error)?.message ?? String(error)}`);
    },
  );

  let shuttingDown = false;
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      // A keep-alive socket that just went idle would otherwise hold the drain open.
      if (shuttingDown) server.closeIdleConnections();
    });
    if (shuttingDown) res.setHeader('connection', 'close');
    void serve(req, res);
  });

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      if (!handler && !handlerError) await ready;
      if (!handler) return fail(res, 503, 'Service unavailable: initialisation failed.');
      await handler(req, res);
    } catch (error) {
      log(`web: request ${req.method} ${req.url} failed: ${(error as Error)?.message ?? String(error)}`);
      fail(res, 500, 'Internal server error.');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) => reject(new BindError(host, port, error)));
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  log(`web: listening on ${host}:${boundPort}`);

  let closing: Promise<number> | undefined;
  let resolveClosed: (code: number) => void = () => {};
  const closed = new Promise<number>((resolve) => {
    resolveClosed = resolve;
  });
  const shutdown = (reason = 'shutdown'): Promise<number> => {
    closing ??= drain(reason);
    return closing;
  };
  const unsubscribe = onShutdownSignal(options.signals ?? process, (signal) => void shutdown(signal));

  async function drain(reason: string): Promise<number> {
    shuttingDown = true;
    const started = Date.now();
    log(`web: ${reason}: no new connections, ${inFlight} request(s) in flight`);
    let code = 0;
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    if ((await Promise.race([drained, timedOut])) === 'timeout') {
      log(`web: ${inFlight} request(s) still running after ${timeoutMs} ms: cutting their connections`);
      server.closeAllConnections();
      code = 1;
      await drained;
    }
    clearTimeout(timer);
    try {
      // onShutdown gets what is left of the budget (at least 1 s): a hung pool.end() must not
      // carry the process into Heroku's SIGKILL.
      const left = Math.max(1000, timeoutMs - (Date.now() - started));
      const hook = Promise.resolve(options.onShutdown?.(reason));
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), left);
      });
      if ((await Promise.race([hook, late])) === 'late') {
        log(`web: onShutdown still running after ${left} ms: exiting without it`);
        code = 1;
      }
      clearTimeout(timer);
    } catch (error) {
      clearTimeout(timer);
      log(`web: onShutdown failed: ${(error as Error)?.message ?? String(error)}`);
      code = 1;
    }
    log(`web: stopped (exit ${code})`);
    unsubscribe();
    resolveClosed(code);
    exit?.(code);
    return code;
  }

  return { server, host, port: boundPort, shutdown, closed };
}

function fail(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`${message}\n`);
}
