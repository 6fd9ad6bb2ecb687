import { execa } from 'execa';
import { ConverterError, type ConverterErrorFacts } from './errors.js';

/** How to run one external converter. */
export interface RunToolOptions {
  adapter: string;
  binary: string;
  args: string[];
  cwd: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Added to the inherited environment. */
  env?: Record<string, string>;
  /** What to tell the user when the binary is missing. */
  install: string;
  /** Grace period between SIGTERM and SIGKILL. */
  killGraceMs?: number;
}

/** Process groups of tools still running, killed if this process exits first. */
const running = new Set<number>();
let exitHookInstalled = false;

/**
 * A detached tool is not in our process group, so it would outlive a `process.exit()` of the app
 * (execa's own cleanup is off for detached children). Kill what is left on exit.
 */
function trackGroup(pid: number): void {
  running.add(pid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const group of running) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  });
}

/** A tool that ran to its end on its own (whatever its exit code). */
export interface ToolOutcome {
  command: string;
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
}

/** The last lines of a tool's output, enough to see what went wrong without flooding logs. */
export function tail(text: string, lines = 15, chars = 2000): string {
  const kept = text.trimEnd().split('\n').slice(-lines).join('\n');
  return kept.length > chars ? kept.slice(-chars) : kept;
}

/**
 * Runs a converter in its own process group, so that a timeout or an abort (the Heroku job's
 * SIGTERM) kills the tool and every helper process it started, not just the direct child.
 * Missing binaries, timeouts and aborts become a ConverterError; exit codes are left to the
 * adapter, because tools disagree on what a non-zero exit means.
 */
export async function runTool(options: RunToolOptions): Promise<ToolOutcome> {
  const { adapter, binary, args, signal } = options;
  if (signal?.aborted) {
    throw new ConverterError('ABORTED', `${adapter}: the conversion was aborted before it started.`, {
      adapter,
      cause: signal.reason,
    });
  }
  const subprocess = execa(binary, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    reject: false,
    stdin: 'ignore',
    encoding: 'utf8',
  });
  if (subprocess.pid !== undefined) trackGroup(subprocess.pid);
  let stopped: 'timeout' | 'abort' | undefined;
  let forceKill: NodeJS.Timeout | undefined;
  const killGroup = (name: NodeJS.Signals) => {
    if (subprocess.pid === undefined) return;
    try {
      process.kill(-subprocess.pid, name);
    } catch {
      // The group is already gone.
    }
  };
  const stop = (why: 'timeout' | 'abort') => {
    if (stopped) return;
    stopped = why;
    killGroup('SIGTERM');
    forceKill = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 3000);
  };
  const timer = setTimeout(() => stop('timeout'), options.timeoutMs);
  const onAbort = () => stop('abort');
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const result = await subprocess;
    const command = result.escapedCommand;
    if (stopped) {
      // Helpers that ignored SIGTERM must not outlive the conversion.
      killGroup('SIGKILL');
      const facts = { adapter, command, signal: result.signal, stderr: tail(result.stderr || result.stdout) };
      if (stopped === 'timeout') {
        throw new ConverterError(
          'TIMEOUT',
          `${adapter}: the conversion did not finish within ${options.timeoutMs} ms and was killed. Raise timeoutMs (large books with many images take longer), or check that the tool is not waiting for a display or input.`,
          facts,
        );
      }
      throw new ConverterError('ABORTED', `${adapter}: the conversion was aborted and the tool was killed.`, {
        ...facts,
        cause: signal?.reason,
      });
    }
    const code = (result.cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ENOENT' || code === 'EACCES') {
      const what = code === 'ENOENT' ? 'was not found' : 'is not executable';
      throw new ConverterError('NOT_FOUND', `${adapter}: "${binary}" ${what}. ${options.install}`, {
        adapter,
        command,
        cause: result.cause,
      });
    }
    return {
      command,
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: result.stdout,
      stderr: result.stderr,
    };
  } finally {
    if (subprocess.pid !== undefined) running.delete(subprocess.pid);
    clearTimeout(timer);
    clearTimeout(forceKill);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** The facts of a finished run, for errors raised after it (e.g. a bad output file). */
export function outcomeFacts(outcome: ToolOutcome): ConverterErrorFacts {
  return {
    command: outcome.command,
    exitCode: outcome.exitCode,
    signal: outcome.signal,
    stderr: tail(outcome.stderr || outcome.stdout),
  };
}

/** The error for a tool that ended badly on its own: a non-zero exit or a crash by signal. */
export function toolFailure(adapter: string, outcome: ToolOutcome, hint: string): ConverterError {
  const facts = { adapter, ...outcomeFacts(outcome) };
  const lastLine = facts.stderr?.split('\n').pop()?.trim();
  if (outcome.signal) {
    return new ConverterError(
      'SIGNAL',
      `${adapter}: the tool was killed by ${outcome.signal}${lastLine ? ` (last output: ${lastLine})` : ''}. A SIGKILL often means it ran out of memory: give the process more memory or convert a smaller book.`,
      facts,
    );
  }
  return new ConverterError(
    'EXIT_CODE',
    `${adapter}: the tool exited with code ${outcome.exitCode}${lastLine ? `: ${lastLine}` : ''}. ${hint}`,
    facts,
  );
}
