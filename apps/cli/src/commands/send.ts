import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import { readFeedList } from '@news2kindle/feed-fetcher';
import { deliver } from '@news2kindle/pipeline';
import type { SendOptions } from '../args.js';
import { loadConfig } from '../config.js';
import { signalExitCode } from '../errors.js';
import { UsageError } from '../exit-codes.js';
import { type FeedsFile, locateFeeds, readFeedsText } from '../feeds-file.js';
import type { Io, Output } from '../io.js';
import { Progress } from '../progress.js';
import { openStore } from '../store.js';
import { exitCodeFor, renderSendSummary, toJson } from '../summary.js';

/**
 * Reads and checks the feeds file before any network work, so a typo in it is a usage error
 * (exit 2) rather than a failed delivery, and the message names the line.
 */
export async function checkFeedsFile(file: FeedsFile): Promise<number> {
  const sources = readFeedList(await readFeedsText(file.path), { baseDir: dirname(file.path) });
  if (sources.length === 0) throw new UsageError(`${file.path} lists no feeds: add one feed URL per line`);
  return sources.length;
}

/** Tells the user which feeds file is used when it is not the one they named. */
export function announceFeeds(file: FeedsFile, io: Io, output: Output, examplesWindow?: string): void {
  if (file.origin !== 'examples') return;
  const shown = relative(io.cwd, file.path) || file.path;
  output.err(
    `No ./feeds.txt here and N2K_FEEDS is not set: using the bundled example feeds (${shown.startsWith('..') ? file.path : shown})` +
      `${examplesWindow ? `, with a ${examplesWindow} window since they are dated` : ''}.\n`,
  );
}

/**
 * The outbox writes each attachment beside its .eml under the same time stamp prefix; the
 * report may list only the .eml, and users want the book's path too.
 */
export async function withAttachments(files: string[]): Promise<string[]> {
  const all = new Set(files);
  for (const eml of files.filter((f) => extname(f) === '.eml')) {
    const stamp = basename(eml).split('-')[0];
    if (!stamp) continue;
    const siblings = await readdir(dirname(eml)).catch(() => [] as string[]);
    for (const name of siblings) if (name.startsWith(`${stamp}-`)) all.add(join(dirname(eml), name));
  }
  return [...all].sort((a, b) => Number(extname(a) === '.eml') - Number(extname(b) === '.eml') || a.localeCompare(b));
}

/** `send`: one delivery; the exit code follows the report (see README). */
export async function runSend(options: SendOptions, io: Io, output: Output): Promise<number> {
  const feeds = locateFeeds(options.feeds, io);
  const { config, examplesWindow } = loadConfig(io, feeds, options);
  await checkFeedsFile(feeds);
  announceFeeds(feeds, io, output, examplesWindow);

  const progress = new Progress(output, options.json, Boolean(io.env.N2K_DEBUG));
  const store = openStore(config, io);
  let report: Awaited<ReturnType<typeof deliver>>;
  try {
    report = await deliver(config, {
      store,
      signal: io.signal,
      progress: (event) => progress.update(event),
      log: (event) => progress.log(event),
    });
  } finally {
    progress.clear();
    await store.close();
  }
  if (report.outbox) report.outbox = await withAttachments(report.outbox);
  if (options.json) output.out(toJson(report));
  else output.out(renderSendSummary(report, output.outStyle));
  return signalExitCode(io.signal) ?? exitCodeFor(report);
}
