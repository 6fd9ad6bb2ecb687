import { type Article, type FeedResult, type FeedSource, fetchFeeds } from '@news2kindle/feed-fetcher';
import type { Config } from './config.js';
import type { FeedState } from './types.js';

/** One feed after fetching and selection: what it had and what is new for this run. */
export interface FetchedFeed {
  source: FeedSource;
  result: FeedResult;
  title: string;
  /** Selected articles not delivered before, newest first. */
  fresh: Article[];
}

export interface FetchStageOptions {
  now: Date;
  /** Stored state per feed URL: validators for a conditional GET and the last success. */
  states: Map<string, FeedState>;
  /** Send If-None-Match / If-Modified-Since (false for a one-off book). */
  conditional: boolean;
  /** Ids already delivered for a feed (empty for a one-off book). */
  delivered: (feedUrl: string) => Promise<Set<string>>;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Called as each feed finishes, for live progress. */
  onFeedFetched?: (result: FeedResult, done: number, total: number) => void;
}

/**
 * Where selection starts for a feed: its last successful delivery, else the window. The window
 * is always covered too, because feeds often list an article hours after its publication date:
 * starting exactly at the last delivery would skip such late arrivals, while the delivered ids
 * already keep anything from being sent twice. Never before the retention cut-off, where
 * delivered ids are forgotten and duplicates could slip through.
 */
export function sinceFor(
  state: FeedState | undefined,
  config: Pick<Config, 'since' | 'retentionDays'>,
  now: Date,
): Date {
  const window = new Date(now.getTime() - config.since);
  const floor = new Date(now.getTime() - config.retentionDays * 86_400_000);
  const last = state?.lastSuccessAt;
  const since = last && last < window ? last : window;
  return since < floor ? floor : since;
}

/**
 * Fetches every source (a failing feed is a result, never a rejection) and keeps the new
 * articles. Feeds sharing a start date share one fetchFeeds call, so its per-feed selection
 * (window, cap, filters) runs before any article page is fetched.
 */
export async function fetchStage(
  sources: FeedSource[],
  config: Config,
  options: FetchStageOptions,
): Promise<FetchedFeed[]> {
  const groups = new Map<number, number[]>();
  sources.forEach((source, index) => {
    const since = sinceFor(options.states.get(source.url), config, options.now).getTime();
    groups.set(since, [...(groups.get(since) ?? []), index]);
  });
  // Delivered ids are read before fetching so already-delivered items are skipped before their
  // pages are fetched (a summary-only item would otherwise be downloaded and extracted every run).
  const delivered = new Map<string, Set<string>>();
  await Promise.all(
    [...new Set(sources.map((s) => s.url))].map(async (url) => delivered.set(url, await options.delivered(url))),
  );
  const out: FetchedFeed[] = new Array(sources.length);
  let done = 0;
  await Promise.all(
    [...groups].map(async ([since, indexes]) => {
      const group = indexes.map((i) => sources[i] as FeedSource);
      const results = await fetchFeeds(group, {
        concurrency: config.concurrency,
        perHost: config.perHost,
        timeoutMs: config.timeoutMs,
        maxBytes: config.feedMaxBytes,
        signal: options.signal,
        fullText: config.fullText,
        since: new Date(since),
        maxPerFeed: config.maxPerFeed,
        now: options.now,
        skip: (article, source) => delivered.get(source.url)?.has(article.id) ?? false,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        conditional: options.conditional
          ? (source) => {
              const state = options.states.get(source.url);
              return state?.etag || state?.lastModified
                ? { etag: state.etag, lastModified: state.lastModified }
                : undefined;
            }
          : undefined,
        onProgress: (event) => {
          if (event.type === 'feed-done') options.onFeedFetched?.(event.result, ++done, sources.length);
        },
      });
      results.forEach((result, k) => {
        const index = indexes[k] as number;
        const source = sources[index] as FeedSource;
        // fetchFeeds skipped what was delivered; the filter stays as the guarantee.
        const seen = delivered.get(source.url);
        out[index] = {
          source,
          result,
          title: source.title ?? result.feed?.title ?? source.url,
          fresh: seen ? result.articles.filter((a) => !seen.has(a.id)) : result.articles,
        };
      });
    }),
  );
  return out;
}
