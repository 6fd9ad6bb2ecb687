/** Stable codes of {@link ConverterError}, to branch on without parsing messages. */
export type ConverterErrorCode =
  | 'NOT_FOUND'
  | 'UNSUPPORTED_FORMAT'
  | 'INVALID_OPTIONS'
  | 'INPUT_INVALID'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'EXIT_CODE'
  | 'SIGNAL'
  | 'BAD_OUTPUT'
  | 'OUTPUT_UNWRITABLE'
  | 'NO_CONVERTER'
  | (string & {});

/** The facts of a failed conversion. */
export interface ConverterErrorFacts {
  cause?: unknown;
  /** The adapter that failed (`calibre`, `kindlegen`, `passthrough`). */
  adapter?: string;
  /** The command line that ran; it holds paths and flags only, never secrets. */
  command?: string;
  /** The child's exit code, when it exited. */
  exitCode?: number;
  /** The signal that ended the child, when one did (e.g. `SIGKILL` after a timeout). */
  signal?: string;
  /** The last lines of the child's stderr (and stdout when stderr was empty). */
  stderr?: string;
}

/** Base error of @news2kindle/mobi-converter: a stable `code` to branch on, the facts, and the `cause`. */
export class ConverterError extends Error {
  override name = 'ConverterError';
  readonly code: ConverterErrorCode;
  readonly adapter: string | undefined;
  readonly command: string | undefined;
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  readonly stderr: string | undefined;
  constructor(code: ConverterErrorCode, message: string, facts: ConverterErrorFacts = {}) {
    super(message, facts.cause === undefined ? undefined : { cause: facts.cause });
    this.code = code;
    this.adapter = facts.adapter;
    this.command = facts.command;
    this.exitCode = facts.exitCode;
    this.signal = facts.signal;
    this.stderr = facts.stderr;
  }
}
