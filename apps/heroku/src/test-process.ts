// Test helpers that drive the built web process as Heroku's dyno manager would (not shipped: tsup
// builds src/web.ts only).
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const WEB_JS = fileURLToPath(new URL('../dist/web.js', import.meta.url));

/** The built entry must exist: these tests check what Heroku runs, not the sources. */
export function requireBuilt(): void {
  if (!existsSync(WEB_JS))
    throw new Error(`${WEB_JS} is missing: run \`pnpm --filter @news2kindle/heroku-app... build\` first`);
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** Resolves once connections to the port are refused (the server is gone), polling every 20 ms. */
export async function waitForPortClosed(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (!open) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`port ${port} still accepts connections after ${timeoutMs} ms`);
}

/** Resolves once a TCP connection to the port succeeds, polling every 10 ms; rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (child && child.exitCode !== null)
      throw new Error(`the process exited (${child.exitCode}) before binding ${port}`);
    if (Date.now() > deadline) throw new Error(`nothing accepted connections on ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  exited: Promise<number | string>;
}

/** Starts a command with a clean environment plus `env`, collecting its output. */
export function startProcess(
  command: string,
  args: string[],
  env: Record<string, string> = {},
  cwd = REPO_ROOT,
): RunningProcess {
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, output: () => output, exited };
}

// Loopback port 9 (discard): nothing listens, so a delivery the tests trigger fails at once and
// never leaves the machine.
export const NEWS_FEED = 'http://127.0.0.1:9/news/rss';
export const PRIVATE_FEED = 'http://user:hunter2@127.0.0.1:9/private/feed?token=s3cr3t';
export const FEEDS_TXT = `# test feeds\n${NEWS_FEED}\n${PRIVATE_FEED}\n`;

/** Writes feeds.txt and a file store with one delivery in `dir`; returns the web's env for them. */
export async function seedFileHistory(dir: string): Promise<Record<string, string>> {
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { createFileStore } = await import('@news2kindle/pipeline/file-store');
  writeFileSync(join(dir, 'feeds.txt'), FEEDS_TXT);
  const store = createFileStore({ dir: join(dir, 'state') });
  await store.commit(sampleChange());
  await store.close();
  return { N2K_FEEDS: join(dir, 'feeds.txt'), N2K_DATA_DIR: join(dir, 'state'), N2K_OUTBOX: join(dir, 'outbox') };
}

/** One delivered run with one healthy and one failing feed. */
export function sampleChange() {
  return {
    feeds: [
      {
        url: NEWS_FEED,
        lastStatus: 'ok' as const,
        lastCheckedAt: new Date('2026-11-28T05:30:10Z'),
      },
      {
        url: PRIVATE_FEED,
        lastStatus: 'failed' as const,
        lastCheckedAt: new Date('2026-11-28T05:30:12Z'),
        lastError: 'HTTP 503 Service Unavailable',
      },
    ],
    run: {
      id: 'r1',
      startedAt: new Date('2026-11-28T05:30:00Z'),
      finishedAt: new Date('2026-11-28T05:31:05Z'),
      outcome: 'delivered' as const,
      counts: { feeds: 2, failedFeeds: 1, articles: 17, volumes: 1, bytes: 1_530_000 },
    },
  };
}
