import { dirname } from 'node:path';
import { type FeedResult, fetchFeeds, readFeedList } from '@news2kindle/feed-fetcher';
import { signalExitCode } from '../errors.js';
import { EXIT, UsageError } from '../exit-codes.js';
import { locateFeeds, readFeedsText } from '../feeds-file.js';
import type { Io, Output } from '../io.js';
import { Progress, formatMs } from '../progress.js';

/** What `feeds check --json` prints for each feed. */
export interface FeedCheck {
  url: string;
  line?: number;
  ok: boolean;
  title?: string;
  format?: string;
  items: number;
  encoding?: string;
  finalUrl?: string;
  ms: number;
  problems: string[];
  error?: { code: string; message: string };
}

export function toCheck(result: FeedResult): FeedCheck {
  const feed = result.feed;
  const problems = [...(feed?.warnings ?? [])];
  const items = result.itemCount ?? feed?.articles.length ?? 0;
  if (feed && items === 0) problems.push('the feed has no items');
  const undated = feed?.articles.filter((a) => a.undated).length ?? 0;
  if (undated > 0) problems.push(`${undated} item(s) have no date: they count as new when first seen`);
  const check: FeedCheck = {
    url: result.source.url,
    ok: result.ok,
    items,
    ms: result.timings.ms,
    problems,
  };
  if (result.source.line !== undefined) check.line = result.source.line;
  const title = feed?.title || result.source.title;
  if (title) check.title = title;
  if (feed?.format) check.format = feed.format;
  if (result.encoding ?? feed?.encoding) check.encoding = result.encoding ?? feed?.encoding;
  if (result.finalUrl) check.finalUrl = result.finalUrl;
  if (result.error) check.error = { code: result.error.code, message: result.error.message };
  return check;
}

/** `feeds check`: fetch every feed (no article pages, nothing recorded) and say how each one is. */
export async function checkFeeds(options: { feeds?: string; json: boolean }, io: Io, output: Output): Promise<number> {
  const file = locateFeeds(options.feeds, io);
  const sources = readFeedList(await readFeedsText(file.path), { baseDir: dirname(file.path) });
  if (sources.length === 0) throw new UsageError(`${file.path} lists no feeds`, 'feeds check');
  if (!options.json) output.err(`Checking ${sources.length} feed(s) from ${file.path}…\n`);
  // A terminal gets the live line; a log gets one line per feed with its URL.
  const live = new Progress(output, options.json || !output.live);
  let done = 0;
  let items = 0;
  live.update({ stage: 'fetch', feedsDone: 0, feedsTotal: sources.length, articles: 0, images: 0, bytes: 0 });
  let results: FeedResult[];
  try {
    results = await fetchFeeds(sources, {
      fullText: 'never',
      signal: io.signal,
      onProgress: (event) => {
        if (event.type !== 'feed-done') return;
        done++;
        items += event.result.itemCount ?? event.result.articles.length;
        live.update({
          stage: 'fetch',
          feedsDone: done,
          feedsTotal: sources.length,
          articles: items,
          images: 0,
          bytes: 0,
        });
        if (!options.json && !output.live) output.err(`  ${event.result.ok ? 'ok' : 'failed'} ${event.source.url}\n`);
      },
    });
  } finally {
    live.clear();
  }
  const interrupted = signalExitCode(io.signal);
  if (interrupted !== undefined) return interrupted;
  const checks = results.map(toCheck);
  const failed = checks.filter((c) => !c.ok).length;
  if (options.json) {
    output.out(`${JSON.stringify({ feeds: checks, failed }, null, 2)}\n`);
  } else {
    const s = output.outStyle;
    for (const c of checks) {
      const head = `${c.ok ? s.green('✓') : s.red('✗')} ${c.title ?? c.url}`;
      const facts = c.ok
        ? [`${c.items} items`, c.format, c.encoding, formatMs(c.ms)].filter(Boolean).join(', ')
        : (c.error?.message ?? 'failed');
      output.out(`${head}\n    ${c.url}${c.line ? ` (line ${c.line})` : ''}\n    ${facts}\n`);
      if (c.finalUrl) output.out(`    redirected to ${c.finalUrl}: consider putting that URL in the feeds file\n`);
      for (const p of c.problems) output.out(`    ${s.yellow('!')} ${p}\n`);
    }
    output.out(`\n${checks.length - failed} of ${checks.length} feed(s) work${failed ? `, ${failed} failed` : ''}.\n`);
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
