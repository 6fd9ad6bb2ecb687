import { JobTerminatedError } from './errors.js';
import {
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  type ExitFn,
  type SignalSource,
  defaultExit,
  onShutdownSignal,
} from './process-handle.js';

/** The job: do the work once, watch `signal`, return an exit code (or nothing for 0). */
// biome-ignore lint/suspicious/noConfusingVoidType: a job that returns nothing (void) means success.
export type JobFn = (signal: AbortSignal) => Promise<number | void> | number | void;

export interface RunJobOptions {
  /** An extra signal that also stops the job (combined with SIGTERM/SIGINT). */
  signal?: AbortSignal;
  /** Where SIGTERM/SIGINT come from. Default `process`. */
  signals?: SignalSource;
  /** Ends the process with the outcome's code. Default `process.exit`; `null` only returns the code. */
  exit?: ExitFn;
  /**
   * After SIGTERM, how long the job may take to wind down before the process exits anyway
   * (Heroku sends SIGKILL 30 s after SIGTERM). Default 25 000 ms.
   */
  shutdownTimeoutMs?: number;
  /** Receives one line per lifecycle event. Default: silent. */
  log?: (message: string) => void;
}

/** Exit codes `runJob` chooses; a job's own returned number always wins. */
export const JOB_EXIT = {
  ok: 0,
  failed: 1,
  /** 128 + SIGTERM's number, as a shell reports a process stopped by SIGTERM. */
  terminated: 143,
} as const;

/**
 * Runs a one-off job (a `heroku run` or Heroku Scheduler dyno) exactly once: SIGTERM/SIGINT become
 * an AbortSignal the job watches, the outcome becomes the exit code, and the process ends — it
 * never loops, because a formation process that exits is restarted and would run the job again.
 */
export async function runJob(fn: JobFn, options: RunJobOptions = {}): Promise<number> {
  const exit = options.exit === undefined ? defaultExit : options.exit;
  const log = options.log ?? (() => {});
  const controller = new AbortController();
  const signal = options.signal ? AbortSignal.any([controller.signal, options.signal]) : controller.signal;
  let terminatedBy: string | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  let forced: (code: number) => void = () => {};
  const forcedExit = new Promise<number>((resolve) => {
    forced = resolve;
  });

  const unsubscribe = onShutdownSignal(options.signals ?? process, (name) => {
    if (terminatedBy) return; // a repeated signal changes nothing: the grace timer already runs
    terminatedBy = name;
    log(`job: ${name} received: stopping`);
    controller.abort(new JobTerminatedError(name));
    const graceMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    graceTimer = setTimeout(() => {
      log(`job: still running ${graceMs} ms after ${name}: exiting anyway`);
      forced(JOB_EXIT.terminated);
    }, graceMs);
    graceTimer.unref();
  });

  const outcome = (async (): Promise<number> => {
    try {
      const result = await fn(signal);
      if (typeof result === 'number' && Number.isInteger(result) && result >= 0 && result <= 255) return result;
      return terminatedBy ? JOB_EXIT.terminated : JOB_EXIT.ok;
    } catch (error) {
      log(`job: failed: ${(error as Error)?.message ?? String(error)}`);
      return terminatedBy || signal.aborted ? JOB_EXIT.terminated : JOB_EXIT.failed;
    }
  })();

  const code = await Promise.race([outcome, forcedExit]);
  unsubscribe();
  clearTimeout(graceTimer);
  log(`job: done (exit ${code})`);
  exit?.(code);
  return code;
}
