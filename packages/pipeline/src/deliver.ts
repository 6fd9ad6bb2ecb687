import { randomUUID } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Volume, bookStage, emptyIssue, toIssue } from './book-stage.js';
import type { Config } from './config.js';
import { PipelineError, abortError, throwIfAborted } from './errors.js';
import { type FetchedFeed, fetchStage } from './fetch-stage.js';
import { bookLimitFor } from './mail-size.js';
import type { DeliverOptions, DeliveryReport, FeedReport, ProgressEvent } from './report.js';
import { type SentVolume, describeError, sendStage, transportFor } from './send-stage.js';
import { readSources } from './sources.js';
import { feedStatesAfter } from './state-update.js';
import { withTempDir } from './temp-dir.js';
import type { FeedState } from './types.js';

/**
 * One delivery: read sources → fetch (conditional GET) → select new articles → build volumes
 * under the mail limit → convert → send → record. Articles are recorded as delivered only once
 * a server accepted the message carrying them; an abort or failure before that records nothing
 * (a failure still adds the run to the history). Holds the store's lock for the whole run.
 *
 * Throws `PipelineError` `LOCKED` (another run holds the lock), `ABORTED` (the signal fired)
 * or `STORE_FAILED`; every other failure comes back as a report with outcome `failed`.
 */
export async function deliver(config: Config, options: DeliverOptions): Promise<DeliveryReport> {
  const { store, signal } = options;
  const now = options.now ?? new Date();
  const started = performance.now();
  const log = options.log ?? (() => {});
  const report: DeliveryReport = {
    runId: randomUUID(),
    outcome: 'failed',
    startedAt: now,
    finishedAt: now,
    feeds: [],
    articles: 0,
    delivered: 0,
    volumes: [],
    recipients: [],
    rejected: [],
    bytes: 0,
    warnings: [],
    timings: { lockMs: 0, fetchMs: 0, buildMs: 0, convertMs: 0, sendMs: 0, totalMs: 0 },
  };
  const snapshot: ProgressEvent = { stage: 'lock', feedsDone: 0, feedsTotal: 0, articles: 0, images: 0, bytes: 0 };
  const progress = (patch: Partial<ProgressEvent>) => {
    Object.assign(snapshot, patch);
    options.progress?.({ ...snapshot });
  };

  throwIfAborted(signal, 'lock');
  progress({ stage: 'lock' });
  const release = await store.lock({ waitMs: config.lockWaitMs, signal });
  report.timings.lockMs = Math.round(performance.now() - started);
  log({ level: 'debug', message: `took the ${store.name} store lock`, ms: report.timings.lockMs });
  try {
    return await withTempDir(options.tempDir, (dir) => run(dir));
  } finally {
    await release();
  }

  async function run(dir: string): Promise<DeliveryReport> {
    let feeds: FetchedFeed[] = [];
    let states = new Map<string, FeedState>();
    let sent: SentVolume[] = [];
    try {
      progress({ stage: 'sources' });
      const sources = await readSources(config);
      progress({ stage: 'fetch', feedsTotal: sources.length });
      states = await store.feedStates();
      const fetching = performance.now();
      feeds = await fetchStage(sources, config, {
        now,
        states,
        conditional: true,
        delivered: (url) => store.deliveredIds(url),
        signal,
        fetch: options.fetch,
        onFeedFetched: (result, done) =>
          progress({
            feedsDone: done,
            articles: snapshot.articles + (result.itemCount ?? result.feed?.articles.length ?? 0),
          }),
      });
      report.timings.fetchMs = Math.round(performance.now() - fetching);
      throwIfAborted(signal, 'fetch');
      report.feeds = feeds.map(feedReport);
      for (const feed of report.feeds) {
        if (feed.error)
          log({ level: 'warn', message: `feed failed: ${feed.url}: ${feed.error.message}`, url: feed.url });
      }

      const { issue, refs } = toIssue(feeds, config, now);
      const fresh = refs.size;
      progress({ stage: 'select', articles: fresh });
      if (fresh === 0 && !config.allowEmpty) {
        report.outcome = 'nothing-new';
        log({ level: 'info', message: 'nothing new: no book sent' });
        return await finish(feeds, states, []);
      }

      progress({ stage: 'build', articles: 0, images: 0, bytes: 0 });
      const bookLimit = bookLimitFor(config.maxBytes);
      const { volumes, buildMs, convertMs } = await bookStage(fresh === 0 ? emptyIssue(config, now) : issue, config, {
        dir,
        maxBytes: bookLimit,
        refs,
        converter: options.converter,
        signal,
        fetch: options.fetch,
        onBuild: (event) => {
          if (event.type === 'article') progress({ articles: event.index + 1 });
          else if (event.type === 'image' && event.ok)
            progress({ images: snapshot.images + 1, bytes: snapshot.bytes + event.bytes });
        },
        onConverted: (volume, total, bytes) => progress({ stage: 'convert', volume, volumes: total, bytes }),
      });
      report.timings.buildMs = Math.round(buildMs);
      report.timings.convertMs = Math.round(convertMs);
      report.articles = volumes.reduce((n, v) => n + v.refs.length, 0);
      report.bytes = volumes.reduce((n, v) => n + v.bytes, 0);
      // Volumes live in the run's temporary folder: the report names the kept copies when asked for.
      const kept = options.keepDir ? await keep(volumes, options.keepDir) : volumes.map((v) => v.path);
      report.volumes = volumes.map((v, i) => ({
        path: kept[i] ?? v.path,
        bytes: v.bytes,
        articles: v.refs.length,
        accepted: false,
      }));
      for (const v of volumes) report.warnings.push(...v.warnings);
      throwIfAborted(signal, 'build');

      if (config.dryRun) {
        report.outcome = 'dry-run';
        return await finish(feeds, states, []);
      }

      progress({ stage: 'send', volume: 0, volumes: volumes.length, bytes: 0 });
      const transport = options.transport ?? (await transportFor(config));
      report.transport = transport.name;
      const sending = performance.now();
      let result: Awaited<ReturnType<typeof sendStage>>;
      try {
        result = await sendStage(volumes, config, {
          transport,
          maxBytes: bookLimit,
          titleOf: (url) => feeds.find((f) => f.source.url === url)?.title ?? url,
          signal,
          onSent: (i, volume) => progress({ volume: i + 1, bytes: snapshot.bytes + volume.bytes }),
        });
      } finally {
        if (!options.transport) await transport.close().catch(() => {});
      }
      report.timings.sendMs = Math.round(performance.now() - sending);
      report.warnings.push(...result.warnings);
      sent = result.sent.filter((s) => s.accepted.length > 0);
      for (const s of result.sent) {
        const volume = report.volumes[volumes.indexOf(s.volume)];
        if (volume) Object.assign(volume, { accepted: s.accepted.length > 0, messageId: s.messageId });
      }
      report.recipients = intersect(result.sent.map((s) => s.accepted));
      report.rejected = [...new Set(result.sent.flatMap((s) => s.rejected))];
      if (transport.name === 'outbox') report.outbox = result.sent.flatMap((s) => s.files);
      if (result.error !== undefined) {
        // An abort before any acceptance records nothing at all; after one, what was accepted is kept.
        if (signal?.aborted && sent.length === 0) throw abortError(signal, 'send');
        report.outcome = 'failed';
        report.error = describeError(result.error);
        log({ level: 'error', message: `sending failed: ${report.error.message}`, code: report.error.code });
      } else {
        report.outcome = 'delivered';
      }
      return await finish(feeds, states, sent);
    } catch (error) {
      if (error instanceof PipelineError && (error.code === 'ABORTED' || error.code === 'STORE_FAILED')) throw error;
      if (signal?.aborted) throw abortError(signal, snapshot.stage);
      report.outcome = 'failed';
      report.error = describeError(error);
      log({ level: 'error', message: `delivery failed: ${report.error.message}`, code: report.error.code });
      return await finish(feeds, states, sent);
    }
  }

  /** Records what the run achieved (unless it was a dry run) and closes the report. */
  async function finish(
    feeds: FetchedFeed[],
    states: Map<string, FeedState>,
    sent: SentVolume[],
  ): Promise<DeliveryReport> {
    const accepted = sent.flatMap((s) => s.volume.refs);
    report.delivered = accepted.length;
    const counted = new Map<string, number>();
    for (const ref of accepted) counted.set(ref.feedUrl, (counted.get(ref.feedUrl) ?? 0) + 1);
    for (const feed of report.feeds) feed.delivered = counted.get(feed.url) ?? 0;
    report.finishedAt = new Date(now.getTime() + (performance.now() - started));
    report.timings.totalMs = Math.round(performance.now() - started);
    if (config.dryRun) {
      progress({ stage: 'done' });
      return report;
    }
    progress({ stage: 'record' });
    await store.commit({
      delivered: accepted.map((ref) => ({ ...ref, deliveredAt: now })),
      feeds: feedStatesAfter(feeds, states, accepted, now),
      run: {
        id: report.runId,
        startedAt: report.startedAt,
        finishedAt: report.finishedAt,
        outcome: report.outcome,
        counts: {
          feeds: report.feeds.length,
          failedFeeds: report.feeds.filter((f) => f.status === 'failed').length,
          articles: report.articles,
          volumes: report.volumes.length,
          bytes: report.bytes,
        },
        ...(report.error ? { error: report.error.message } : {}),
      },
      pruneBefore: new Date(now.getTime() - config.retentionDays * 86_400_000),
    });
    progress({ stage: 'done' });
    return report;
  }
}

function feedReport(feed: FetchedFeed): FeedReport {
  const { result } = feed;
  const out: FeedReport = {
    url: feed.source.url,
    title: feed.title,
    status: !result.ok ? 'failed' : result.notModified ? 'not-modified' : 'ok',
    fetched: result.itemCount ?? result.feed?.articles.length ?? 0,
    new: feed.fresh.length,
    delivered: 0,
    ms: result.timings.ms,
  };
  if (result.encoding) out.encoding = result.encoding;
  if (result.error) out.error = describeError(result.error);
  return out;
}

function intersect(lists: string[][]): string[] {
  if (lists.length === 0) return [];
  const [first, ...rest] = lists as [string[], ...string[][]];
  return first.filter((a) => rest.every((l) => l.some((b) => b.toLowerCase() === a.toLowerCase())));
}

async function keep(volumes: Volume[], dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const volume of volumes) {
    const target = join(dir, basename(volume.path));
    await copyFile(volume.path, target);
    paths.push(target);
  }
  return paths;
}
