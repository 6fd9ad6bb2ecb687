import type { Io } from './io.js';

/** An Io that records what the CLI prints, for in-process tests of `main`. */
export function memoryIo(options: { env?: Io['env']; cwd?: string; tty?: boolean; signal?: AbortSignal } = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: Io = {
    stdout: { write: (text: string) => stdout.push(text), isTTY: options.tty ?? false, columns: 100 },
    stderr: { write: (text: string) => stderr.push(text), isTTY: options.tty ?? false, columns: 100 },
    env: options.env ?? {},
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal,
  };
  return { io, stdout: () => stdout.join(''), stderr: () => stderr.join('') };
}
