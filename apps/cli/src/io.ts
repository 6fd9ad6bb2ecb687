import { redact, secretsOf } from './redact.js';

/** A stream the CLI writes to: process.stdout/stderr, or a buffer in tests. */
export interface Sink {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Everything the CLI takes from its process, so tests can run `main` in-process. */
export interface Io {
  stdout: Sink;
  stderr: Sink;
  env: Record<string, string | undefined>;
  cwd: string;
  /** Fires when the user (SIGINT) or the platform (SIGTERM) asks the run to stop. */
  signal?: AbortSignal;
}

export interface Styles {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

/** Where every byte the CLI prints goes through: secrets are masked here, once for all commands. */
export interface Output {
  /** Results: the summary, JSON, converted files. */
  out(text: string): void;
  /**
   * A document the user asked for on stdout (`feeds export`, `feeds import`): their own file,
   * converted, so written as it is; masking a feed's `?token=` would break the copy.
   */
  data(text: string): void;
  /** Progress, events, warnings and errors. */
  err(text: string): void;
  /** Whether stderr is a terminal: live progress line instead of one line per event. */
  live: boolean;
  /** Terminal width for the live line. */
  columns: number;
  /** Styles for stderr and for stdout: each is coloured only when it is a terminal. */
  style: Styles;
  outStyle: Styles;
  redact(text: string): string;
}

const plain: Styles = { bold: String, dim: String, red: String, green: String, yellow: String };
const sgr = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;
const ansi: Styles = { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39) };

/** Colour only on a terminal, and never when NO_COLOR is set to anything non-empty (no-color.org). */
export function useColor(sink: Sink, env: Io['env']): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return sink.isTTY === true && env.TERM !== 'dumb';
}

export function createOutput(io: Io): Output {
  const secrets = secretsOf(io.env);
  const mask = (text: string) => redact(text, secrets);
  return {
    out: (text) => io.stdout.write(mask(text)),
    data: (text) => io.stdout.write(text),
    err: (text) => io.stderr.write(mask(text)),
    live: io.stderr.isTTY === true && io.env.TERM !== 'dumb',
    columns: io.stderr.columns || 80,
    style: useColor(io.stderr, io.env) ? ansi : plain,
    outStyle: useColor(io.stdout, io.env) ? ansi : plain,
    redact: mask,
  };
}
