import { randomUUID } from 'node:crypto';
import { readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { lockedError, waitFor } from './lock-wait.js';
import type { LockOptions, Release } from './types.js';

/** What a lock file holds, so another process can tell whether its owner is gone. */
/** A takeover guard older than this was left by a killed process. */
const GUARD_STALE_MS = 10_000;

export interface LockOwner {
  pid: number;
  hostname: string;
  createdAt: string;
  token: string;
}

export interface FileLockOptions extends LockOptions {
  /** A lock whose file was not refreshed for this long is taken over (default 60 s). */
  staleMs?: number;
}

/**
 * Takes an exclusive lock file (`O_EXCL` create). A lock left by a dead process on this host, or
 * not refreshed for `staleMs`, is taken over. The holder refreshes the file's mtime every
 * `staleMs / 4`, so a long delivery is never mistaken for a dead one.
 */
export async function acquireFileLock(path: string, options: FileLockOptions = {}): Promise<Release> {
  const staleMs = options.staleMs ?? 60_000;
  const owner: LockOwner = {
    pid: process.pid,
    hostname: hostname(),
    createdAt: new Date().toISOString(),
    token: randomUUID(),
  };
  let holder: LockOwner | undefined;
  const taken = await waitFor(
    async () => {
      if (await tryCreate(path, owner)) return true;
      holder = await readOwner(path);
      if (await isStale(path, holder, staleMs)) await takeOver(path, holder, owner, staleMs);
      return tryCreate(path, owner);
    },
    { waitMs: options.waitMs, signal: options.signal },
  );
  if (!taken) {
    throw lockedError(
      'file',
      holder ? `pid ${holder.pid} on ${holder.hostname} since ${holder.createdAt}, file ${path}` : path,
    );
  }
  const heartbeat = setInterval(
    () => {
      const now = new Date();
      utimes(path, now, now).catch(() => {});
    },
    Math.max(50, Math.floor(staleMs / 4)),
  );
  heartbeat.unref();
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    clearInterval(heartbeat);
    // Remove only our own lock: after a takeover the file belongs to someone else.
    const current = await readOwner(path);
    if (current?.token === owner.token) await rm(path, { force: true });
  };
}

async function tryCreate(path: string, owner: LockOwner): Promise<boolean> {
  try {
    await writeFile(path, JSON.stringify(owner), { flag: 'wx', mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.token === 'string') return parsed as LockOwner;
  } catch {
    // Missing, or written by a process killed between create and write: judged by age alone.
  }
  return undefined;
}

async function isStale(path: string, owner: LockOwner | undefined, staleMs: number): Promise<boolean> {
  if (owner && owner.hostname === hostname() && !isAlive(owner.pid)) return true;
  const info = await stat(path).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > staleMs;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a stale lock so that only one of several waiting processes does it: the remover first
 * takes a short-lived guard file, then checks that the lock is still the very one judged stale
 * (a fresh lock created meanwhile by another process must survive).
 */
async function takeOver(path: string, stale: LockOwner | undefined, owner: LockOwner, staleMs: number): Promise<void> {
  const guard = `${path}.takeover`;
  if (!(await tryCreate(guard, owner))) {
    // A remover killed while holding the guard must not block everyone forever.
    const info = await stat(guard).catch(() => undefined);
    if (info && Date.now() - info.mtimeMs > GUARD_STALE_MS) await rm(guard, { force: true });
    return;
  }
  try {
    const current = await readOwner(path);
    if (current?.token === stale?.token && (await isStale(path, current, staleMs))) await rm(path, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}
