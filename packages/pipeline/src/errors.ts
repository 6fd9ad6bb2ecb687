/**
 * Stable codes of @news2kindle/pipeline errors:
 * - `LOCKED`: another delivery holds the store's lock.
 * - `CONFIG_INVALID`: the configuration has problems (see {@link ConfigError}).
 * - `STATE_CORRUPT`: the state store holds data this version cannot read.
 * - `STORE_FAILED`: the state store could not be read or written.
 * - `SOURCES_FAILED`: the feed list could not be read.
 * - `BUILD_FAILED`, `CONVERT_FAILED`, `SEND_FAILED`: a stage of the delivery failed.
 * - `ABORTED`: the caller's signal aborted the run.
 */
export type PipelineErrorCode =
  | 'LOCKED'
  | 'CONFIG_INVALID'
  | 'STATE_CORRUPT'
  | 'STORE_FAILED'
  | 'SOURCES_FAILED'
  | 'BUILD_FAILED'
  | 'CONVERT_FAILED'
  | 'SEND_FAILED'
  | 'ABORTED'
  | (string & {});

/** Base error of @news2kindle/pipeline: a stable `code` to branch on, the facts, and the `cause`. */
export class PipelineError extends Error {
  override name = 'PipelineError';
  readonly code: PipelineErrorCode;
  constructor(code: PipelineErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** One configuration problem: which setting, what was expected, and (never for secrets) what was received. */
export interface ConfigProblem {
  /** The setting's path, e.g. `since` or `smtp.port`. */
  setting: string;
  /** Where the value came from, e.g. the environment variable `N2K_SINCE`, when known. */
  source?: string;
  expected: string;
  received?: string;
}

/** Every problem of a configuration at once, so the user can fix them in one go. */
export class ConfigError extends PipelineError {
  override name = 'ConfigError';
  readonly problems: ConfigProblem[];
  constructor(problems: ConfigProblem[]) {
    const lines = problems.map((p) =>
      // Messages that already name their variable (from the mailer's env reader) are kept whole.
      p.source && p.expected.startsWith(p.source)
        ? `- ${p.expected}`
        : `- ${p.source ? `${p.source} (${p.setting})` : p.setting}: expected ${p.expected}` +
          (p.received === undefined ? '' : `, received ${p.received}`),
    );
    super('CONFIG_INVALID', `invalid configuration (${problems.length} problem(s)):\n${lines.join('\n')}`);
    this.problems = problems;
  }
}

/** The error to throw when a signal aborted the run, keeping the signal's reason as cause. */
export function abortError(signal: AbortSignal | undefined, stage: string): PipelineError {
  return new PipelineError('ABORTED', `delivery aborted during ${stage}; nothing was recorded`, {
    cause: signal?.reason,
  });
}

/** Throws {@link abortError} when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, stage: string): void {
  if (signal?.aborted) throw abortError(signal, stage);
}
