import type { Io, Output } from '../io.js';

/** `doctor`: wired to the libraries as they land. */
export async function runDoctor(_options: unknown, _io: Io, output: Output) {
  output.err('news2kindle: doctor is not available yet\n');
  return 1;
}
