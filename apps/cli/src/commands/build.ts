import { resolve } from 'node:path';
import { type BookReport, buildBook } from '@news2kindle/pipeline';
import type { BuildOptions } from '../args.js';
import { loadConfig, withoutMail } from '../config.js';
import { signalExitCode } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { announceFeeds, checkFeedsFile, locateFeeds } from '../feeds-file.js';
import type { Io, Output, Styles } from '../io.js';
import { startJobMemoryWatch } from '../memory-watch.js';
import { Progress, formatBytes, formatMs } from '../progress.js';
import { allFailed, renderFeeds, toJson } from '../summary.js';

/** The human summary printed after `build`. */
export function renderBuildSummary(report: BookReport, since: string, s: Styles): string {
  const lines: string[] = [];
  if (report.path) {
    lines.push(
      s.green(`Wrote ${report.path}`),
      `  ${report.articles} articles, ${report.images} images, ${formatBytes(report.bytes)}. Nothing was sent or recorded.`,
    );
  } else if (allFailed(report)) {
    lines.push(s.red(`Every feed failed (${report.feeds.length}): no book written.`));
  } else {
    lines.push(`No articles in the window (${since}): no book written. Try a longer --since.`);
  }
  if (report.feeds.length > 0) lines.push('', 'Feeds:', renderFeeds(report, s));
  lines.push('', s.dim(`Took ${formatMs(report.timings.totalMs)}.`));
  return `${lines.join('\n')}\n`;
}

/** `build --out FILE`: the book only; exit 3 when it was written while some feeds failed. */
export async function runBuild(options: BuildOptions, io: Io, output: Output): Promise<number> {
  const feeds = locateFeeds(options.feeds, io);
  const { config, examplesWindow } = loadConfig({ ...io, env: withoutMail(io.env) }, feeds, options);
  await checkFeedsFile(feeds);
  announceFeeds(feeds, io, output, examplesWindow);
  const progress = new Progress(output, options.json, Boolean(io.env.N2K_DEBUG));
  const memory = startJobMemoryWatch(io.env, (line) => progress.note(line));
  let report: BookReport;
  try {
    report = await buildBook(config, {
      out: resolve(io.cwd, options.out),
      signal: io.signal,
      progress: (event) => progress.update(event),
      log: (event) => progress.log(event),
    });
  } finally {
    memory.stop();
    progress.clear();
  }
  if (options.json) output.out(toJson(report));
  else
    output.out(
      renderBuildSummary(report, options.since ?? examplesWindow ?? `${config.since / 3_600_000}h`, output.outStyle),
    );
  const interrupted = signalExitCode(io.signal);
  if (interrupted !== undefined) return interrupted;
  if (allFailed(report)) return EXIT.failed;
  return report.path && report.feeds.some((f) => f.status === 'failed') ? EXIT.partial : EXIT.ok;
}
