import type { Io, Output } from '../io.js';

/** `send`: wired to the libraries as they land. */
export async function runSend(_options: unknown, _io: Io, output: Output) {
  output.err('news2kindle: send is not available yet\n');
  return 1;
}
