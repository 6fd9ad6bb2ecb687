import { EXIT, UsageError } from './exit-codes.js';

interface Problem {
  setting: string;
  source?: string;
  expected: string;
  received?: string;
}

/** Which signal stopped the run, from the reason the bin gave the AbortController. */
export function signalExitCode(signal: AbortSignal | undefined): number | undefined {
  if (!signal?.aborted) return undefined;
  return (signal.reason as { signal?: string } | undefined)?.signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm;
}

const codeOf = (error: unknown) => (error as { code?: unknown } | null)?.code;

/** Turns any error into what the user reads and the exit code; the CLI's one mapping of errors. */
export function describeError(error: unknown, signal?: AbortSignal): { message: string; exitCode: number } {
  const interrupted = signalExitCode(signal);
  if (interrupted !== undefined || codeOf(error) === 'ABORTED') {
    const name = interrupted === EXIT.sigint ? 'SIGINT' : interrupted === EXIT.sigterm ? 'SIGTERM' : 'a signal';
    return {
      message: `interrupted by ${name}: nothing was sent or recorded; the next run delivers these articles`,
      exitCode: interrupted ?? EXIT.failed,
    };
  }
  if (error instanceof UsageError) {
    const help = error.command ? `news2kindle ${error.command} --help` : 'news2kindle --help';
    return { message: `${error.message}\n(see ${help})`, exitCode: EXIT.usage };
  }
  const problems = (error as { problems?: unknown } | null)?.problems;
  if (codeOf(error) === 'CONFIG_INVALID' && Array.isArray(problems)) {
    const lines = (problems as Problem[]).map(
      (p) =>
        `  - ${p.source ? `${p.source} (${p.setting})` : p.setting}: expected ${p.expected}` +
        (p.received === undefined ? '' : `, received ${p.received}`),
    );
    return {
      message: `invalid configuration, nothing was done:\n${lines.join('\n')}`,
      exitCode: EXIT.usage,
    };
  }
  if (codeOf(error) === 'FEED_LIST_INVALID') {
    return { message: `${messageOf(error)}\nFix the feeds file and run again.`, exitCode: EXIT.usage };
  }
  if (codeOf(error) === 'LOCKED') {
    return { message: `${messageOf(error)}\nNothing was done by this run.`, exitCode: EXIT.failed };
  }
  return { message: chain(error), exitCode: EXIT.failed };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The message and its causes, each once: the cause often names the real culprit (a socket, a file). */
function chain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    const text = messageOf(current);
    if (text && !parts.some((p) => p.includes(text))) parts.push(text);
    current = (current as { cause?: unknown }).cause;
  }
  return parts.join('\n  caused by: ');
}
