import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildEpub } from '@news2kindle/epub-builder';
import type { Converter } from '@news2kindle/mobi-converter';
import { toIssue } from './book-stage.js';
import type { Config } from './config.js';
import { converterFor } from './converter.js';
import { PipelineError, throwIfAborted } from './errors.js';
import { fetchStage } from './fetch-stage.js';
import type { FeedReport, LogEvent, ProgressEvent } from './report.js';
import { describeError } from './send-stage.js';
import { readSources } from './sources.js';
import { withTempDir } from './temp-dir.js';

export interface BuildBookOptions {
  /** Path of the book to write (its format is `config.format`). */
  out: string;
  signal?: AbortSignal;
  progress?: (event: ProgressEvent) => void;
  log?: (event: LogEvent) => void;
  fetch?: typeof fetch;
  now?: Date;
  converter?: Converter;
  tempDir?: string;
}

export interface BookReport {
  /** The book written, or undefined when no feed had an article in the window. */
  path?: string;
  bytes: number;
  articles: number;
  images: number;
  feeds: FeedReport[];
  warnings: string[];
  timings: { fetchMs: number; buildMs: number; convertMs: number; totalMs: number };
}

/**
 * Just the book (for `news2kindle build`): fetch, select by the window, build one book and
 * convert it. No state is read or written and nothing is mailed.
 */
export async function buildBook(config: Config, options: BuildBookOptions): Promise<BookReport> {
  const { signal } = options;
  const now = options.now ?? new Date();
  const started = performance.now();
  const snapshot: ProgressEvent = { stage: 'sources', feedsDone: 0, feedsTotal: 0, articles: 0, images: 0, bytes: 0 };
  const progress = (patch: Partial<ProgressEvent>) => {
    Object.assign(snapshot, patch);
    options.progress?.({ ...snapshot });
  };
  const report: BookReport = {
    bytes: 0,
    articles: 0,
    images: 0,
    feeds: [],
    warnings: [],
    timings: { fetchMs: 0, buildMs: 0, convertMs: 0, totalMs: 0 },
  };
  progress({});
  const sources = await readSources(config);
  progress({ stage: 'fetch', feedsTotal: sources.length });
  const feeds = await fetchStage(sources, config, {
    now,
    states: new Map(),
    conditional: false,
    delivered: async () => new Set(),
    signal,
    fetch: options.fetch,
    onFeedFetched: (result, done) =>
      progress({
        feedsDone: done,
        articles: snapshot.articles + (result.itemCount ?? result.feed?.articles.length ?? 0),
      }),
  });
  throwIfAborted(signal, 'fetch');
  report.timings.fetchMs = Math.round(performance.now() - started);
  report.feeds = feeds.map((feed) => ({
    url: feed.source.url,
    title: feed.title,
    status: !feed.result.ok ? 'failed' : 'ok',
    fetched: feed.result.itemCount ?? feed.result.feed?.articles.length ?? 0,
    new: feed.fresh.length,
    delivered: 0,
    ms: feed.result.timings.ms,
    ...(feed.result.encoding ? { encoding: feed.result.encoding } : {}),
    ...(feed.result.error ? { error: describeError(feed.result.error) } : {}),
  }));
  const { issue, refs } = toIssue(feeds, config, now);
  progress({ stage: 'select', articles: refs.size });
  if (refs.size === 0) {
    options.log?.({ level: 'info', message: 'no articles in the window: no book written' });
    progress({ stage: 'done' });
    report.timings.totalMs = Math.round(performance.now() - started);
    return report;
  }

  return withTempDir(options.tempDir, async (dir) => {
    progress({ stage: 'build', articles: 0 });
    const building = performance.now();
    const epub = join(dir, 'book.epub');
    let built: Awaited<ReturnType<typeof buildEpub>>;
    try {
      built = await buildEpub(issue, {
        output: epub,
        device: config.device,
        images: config.images,
        signal,
        now,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        onProgress: (event) => {
          if (event.type === 'article') progress({ articles: event.index + 1 });
          else if (event.type === 'image' && event.ok)
            progress({ images: snapshot.images + 1, bytes: snapshot.bytes + event.bytes });
        },
      });
    } catch (error) {
      throwIfAborted(signal, 'build');
      throw new PipelineError('BUILD_FAILED', `building the book failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    report.timings.buildMs = Math.round(performance.now() - building);
    progress({ stage: 'convert', bytes: built.bytes });
    const converting = performance.now();
    try {
      const converter = options.converter ?? (await converterFor(config));
      await mkdir(dirname(options.out), { recursive: true });
      const result = await converter.convert(epub, {
        format: config.format,
        output: options.out,
        signal,
        timeoutMs: config.convertTimeoutMs,
        device: config.device,
      });
      report.bytes = result.bytes;
      report.warnings.push(...built.warnings, ...result.warnings);
    } catch (error) {
      throwIfAborted(signal, 'convert');
      throw new PipelineError('CONVERT_FAILED', `converting to ${config.format} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    report.timings.convertMs = Math.round(performance.now() - converting);
    report.path = options.out;
    report.articles = built.articles;
    report.images = built.images;
    report.timings.totalMs = Math.round(performance.now() - started);
    progress({ stage: 'done', bytes: report.bytes });
    return report;
  });
}
