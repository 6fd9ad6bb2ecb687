import type { Io, Output } from '../io.js';

/** `feeds check`: wired to feed-fetcher's fetchFeeds once it lands. */
export async function checkFeeds(_options: { feeds?: string; json: boolean }, _io: Io, output: Output) {
  output.err('news2kindle: feeds check is not available yet\n');
  return 1;
}
