import type { Io, Output } from '../io.js';

/** `build`: wired to the libraries as they land. */
export async function runBuild(_options: unknown, _io: Io, output: Output) {
  output.err('news2kindle: build is not available yet\n');
  return 1;
}
