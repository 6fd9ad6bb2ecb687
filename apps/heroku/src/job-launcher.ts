import { type ChildProcess, spawn } from 'node:child_process';

export interface JobLauncherOptions {
  /** The program and its arguments, e.g. `[process.execPath, 'apps/cli/dist/cli.js', 'send']`. */
  command: [string, ...string[]];
  env: NodeJS.ProcessEnv;
  cwd: string;
  log: (line: string) => void;
}

export type LaunchResult = { started: true; pid: number } | { started: false; reason: 'busy' | 'failed' };

export interface JobLauncher {
  /** Starts the job unless this dyno already runs one; its output goes to this process's log. */
  start(): LaunchResult;
  /** SIGTERM to a running job, then wait for it (up to `timeoutMs`). */
  stop(timeoutMs: number): Promise<void>;
}

// The delivery runs as a child process with the very command Scheduler runs, so "deliver now" and
// the daily job share one code path, and the store's lock keeps the two from both sending.
/** Launches the delivery command on demand, one at a time per dyno. */
export function createJobLauncher(options: JobLauncherOptions): JobLauncher {
  let child: ChildProcess | undefined;
  return {
    start() {
      if (child) return { started: false, reason: 'busy' };
      const [program, ...args] = options.command;
      const proc = spawn(program, args, {
        cwd: options.cwd,
        env: options.env,
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      if (proc.pid === undefined) {
        proc.on('error', () => {});
        return { started: false, reason: 'failed' };
      }
      child = proc;
      options.log(`web: delivery started on request (pid ${proc.pid})`);
      proc.on('exit', (code, signal) => {
        options.log(`web: delivery (pid ${proc.pid}) ended with ${signal ?? `exit ${code}`}`);
        if (child === proc) child = undefined;
      });
      return { started: true, pid: proc.pid };
    },
    async stop(timeoutMs) {
      const proc = child;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}
