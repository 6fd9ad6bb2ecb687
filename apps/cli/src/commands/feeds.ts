import { writeFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { readFeedList, toFeedsTxt, toOpml } from '@news2kindle/feed-fetcher';
import { EXIT, UsageError } from '../exit-codes.js';
import { locateFeeds, readFeedsText } from '../feeds-file.js';
import type { Io, Output } from '../io.js';

/** Writes a converted document to `--out`, or to stdout. */
async function emit(text: string, out: string | undefined, io: Io, output: Output, what: string) {
  if (!out) {
    output.data(text);
    return;
  }
  const path = resolve(io.cwd, out);
  try {
    await writeFile(path, text);
  } catch (error) {
    throw new UsageError(`cannot write ${path}: ${(error as Error).message}`, undefined, { cause: error });
  }
  output.err(`${what} written to ${path}\n`);
}

/** `feeds import FILE.opml`: OPML → feeds.txt, titles kept. */
export async function runFeedsImport(options: { file: string; out?: string }, io: Io, output: Output) {
  const path = resolve(io.cwd, options.file);
  const text = await readFeedsText(path);
  // Relative outlines (rare) resolve against the OPML file's folder, like feeds.txt paths.
  const sources = readFeedList(text, { baseDir: dirname(path) });
  if (sources.length === 0)
    throw new UsageError(`${path} lists no feeds (no <outline xmlUrl="…"> elements)`, 'feeds import');
  await emit(toFeedsTxt(sources), options.out, io, output, `${sources.length} feed(s)`);
  return EXIT.ok;
}

/** `feeds export`: feeds.txt → OPML 2.0. */
export async function runFeedsExport(options: { feeds?: string; out?: string }, io: Io, output: Output) {
  const file = locateFeeds(options.feeds, io, false);
  const sources = readFeedList(await readFeedsText(file.path), { baseDir: dirname(file.path) });
  await emit(
    toOpml(sources, `news2kindle feeds (${basename(file.path)})`),
    options.out,
    io,
    output,
    `${sources.length} feed(s)`,
  );
  return EXIT.ok;
}
