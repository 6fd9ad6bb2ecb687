import { PipelineError, throwIfAborted } from './errors.js';

/** The error every adapter throws when the lock stays taken. */
export function lockedError(store: string, detail?: string): PipelineError {
  return new PipelineError(
    'LOCKED',
    `another delivery is in progress (${store} store lock is held${detail ? `: ${detail}` : ''}); try again later`,
  );
}

/**
 * Calls `attempt` until it returns true or `waitMs` has passed. Polling keeps every adapter
 * simple (a file lock and a Postgres advisory lock have no shared wake-up event).
 */
export async function waitFor(
  attempt: () => Promise<boolean>,
  { waitMs = 0, signal, intervalMs = 100 }: { waitMs?: number; signal?: AbortSignal; intervalMs?: number },
): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    throwIfAborted(signal, 'lock');
    if (await attempt()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, left)));
  }
}
