import { discoverFeedLinks } from './discover.js';
import { FeedError, toFeedError } from './errors.js';
import { ExtractPool } from './extract-pool.js';
import { type ExtractedArticle, extractPage, isSummaryOnly } from './full-text.js';
import { getUrl, type HttpOptions } from './http.js';
import { hostOf, Limiter } from './limiter.js';
import { parseFeed } from './parse-feed.js';
import { selectArticles } from './select.js';
import type { Article, FeedResult, FeedSource, FetchFeedsOptions, ParsedFeed } from './types.js';
import { isHttpUrl } from './urls.js';

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8';
const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9, */*;q=0.8';

/**
 * Fetches, parses and selects every source, then fetches full text for the selected summary-only
 * items. One result per source, in the order given; a failing feed is a result with `error`,
 * never a rejection. Selection (since, maxPerFeed/maxItems, include/exclude) and `skip` happen
 * before any article page is fetched.
 */
export async function fetchFeeds(sources: FeedSource[], given: FetchFeedsOptions = {}): Promise<FeedResult[]> {
  // A throwing progress callback (a UI bug) must not fail the run.
  const report = given.onProgress;
  const options: FetchFeedsOptions = report
    ? {
        ...given,
        onProgress: (event) => {
          try {
            report(event);
          } catch {
            // ignored on purpose
          }
        },
      }
    : given;
  const limiter = new Limiter(Math.max(1, options.concurrency ?? 8), Math.max(1, options.perHost ?? 2));
  const http: HttpOptions = {
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs,
    maxBytes: options.maxBytes,
    userAgent: options.userAgent,
    retries: options.retries,
    retryDelayMs: options.retryDelayMs,
    maxRetryAfterMs: options.maxRetryAfterMs,
    signal: options.signal,
    limiter,
    onRetry: options.onProgress ? (event) => options.onProgress?.({ type: 'retry', ...event }) : undefined,
  };
  const total = sources.length;
  // A page holds one of these from its request until its article is extracted, so at most
  // `concurrency` fetched pages wait for the extractor: memory stays bounded when extraction is
  // slower than the network, while fetching goes on as long as it is not. Slots are per host like
  // requests (and taken round-robin): pages of one site must not take every slot and leave the
  // request limiter with only that site's `perHost` requests to run.
  const pages = pageWork(
    options.extraction,
    new Limiter(2 * Math.max(1, options.concurrency ?? 8), 2 * Math.max(1, options.perHost ?? 2)),
  );
  try {
    return await Promise.all(
      sources.map(async (source, index) => {
        options.onProgress?.({ type: 'feed-start', source, index, total });
        const result = await fetchOne(source, options, http, pages);
        options.onProgress?.({ type: 'feed-done', source, index, total, result });
        return result;
      }),
    );
  } finally {
    await pages.close();
  }
}

/** What the pages of one fetchFeeds call share: their slots and the extractor. */
interface Pages {
  /** Held by a page from its request until the end of its extraction. */
  slots: Limiter;
  extract(body: Uint8Array, url: string, contentType?: string): Promise<ExtractedArticle>;
  close(): Promise<void>;
}

/** Extraction in a worker started on the first page (none for full-content feeds), or in-thread. */
function pageWork(setting: FetchFeedsOptions['extraction'], slots: Limiter): Pages {
  if (setting === false) {
    return {
      slots,
      extract: async (body, url, contentType) => extractPage(body, url, contentType),
      close: async () => {},
    };
  }
  let pool: ExtractPool | undefined;
  return {
    slots,
    extract: (body, url, contentType) => {
      pool ??= new ExtractPool(setting ?? {});
      return pool.extract(body, url, contentType);
    },
    close: async () => pool?.close(),
  };
}

async function fetchOne(
  source: FeedSource,
  options: FetchFeedsOptions,
  http: HttpOptions,
  pages: Pages,
): Promise<FeedResult> {
  const startedAt = new Date();
  const started = performance.now();
  const timings = () => ({ startedAt, ms: Math.round(performance.now() - started) });
  try {
    const validators = options.conditional?.(source);
    const fetched = await getUrl(source.url, { ...http, accept: FEED_ACCEPT }, validators);
    const base: FeedResult = { source, ok: true, articles: [], notModified: fetched.notModified, timings: timings() };
    if (fetched.url !== source.url) base.finalUrl = fetched.url;
    if (fetched.etag) base.etag = fetched.etag;
    if (fetched.lastModified) base.lastModified = fetched.lastModified;
    if (fetched.notModified) return base;
    let feed: ParsedFeed;
    try {
      feed = parseFeed(fetched.body, {
        url: fetched.url,
        contentType: fetched.contentType,
        now: options.now ?? startedAt,
      });
    } catch (error) {
      // A site's page instead of its feed: follow the feed it advertises, once.
      const [discovered] =
        error instanceof FeedError && error.code === 'FEED_NOT_RECOGNIZED'
          ? discoverFeedLinks(fetched.body, fetched.url, fetched.contentType)
          : [];
      if (!discovered) throw error;
      const again = await getUrl(discovered, { ...http, accept: FEED_ACCEPT });
      feed = parseFeed(again.body, { url: again.url, contentType: again.contentType, now: options.now ?? startedAt });
      feed.warnings.push(`${source.url} is a web page; read the feed it links to: ${again.url}`);
      base.finalUrl = again.url;
      if (again.etag) base.etag = again.etag;
      else delete base.etag;
      if (again.lastModified) base.lastModified = again.lastModified;
      else delete base.lastModified;
    }
    if (source.title) {
      for (const article of feed.articles) article.feedTitle = source.title;
    }
    const maxItems = minDefined(source.maxItems, options.maxPerFeed);
    const selected = selectArticles(feed.articles, {
      since: options.since,
      maxItems,
      include: source.include,
      exclude: source.exclude,
    });
    const skip = options.skip;
    const kept = skip ? selected.filter((article) => !skip(article, source)) : selected;
    const mode = source.fullText ?? options.fullText ?? 'auto';
    await Promise.all(kept.map((article) => addFullText(article, mode, source, options, http, pages)));
    // Only the selection is kept: unselected items of a long feed would just hold memory.
    const itemCount = feed.articles.length;
    feed.articles = kept;
    const result: FeedResult = {
      ...base,
      feed,
      articles: kept,
      itemCount,
      encoding: feed.encoding,
      timings: timings(),
    };
    if (skip) result.skipped = selected.length - kept.length;
    return result;
  } catch (error) {
    const feedError = toFeedError(error, 'FEED_MALFORMED', source.url);
    return { source, ok: false, articles: [], notModified: false, error: feedError, timings: timings() };
  }
}

async function addFullText(
  article: Article,
  mode: 'auto' | 'always' | 'never',
  source: FeedSource,
  options: FetchFeedsOptions,
  http: HttpOptions,
  pages: Pages,
): Promise<void> {
  if (mode === 'never' || (mode === 'auto' && !isSummaryOnly(article)) || !isHttpUrl(article.url)) {
    article.fullText = 'feed';
    return;
  }
  const url = article.url;
  try {
    const extracted = await pages.slots.run(hostOf(url), async () => {
      const page = await getUrl(url, { ...http, accept: PAGE_ACCEPT });
      const type = page.contentType ?? '';
      if (type && !/html|xml/i.test(type)) {
        throw new FeedError('FULL_TEXT_FAILED', `the page is ${type.split(';')[0]}, not HTML`, { url });
      }
      // The bytes go to the extractor (transferred, not copied): only the extracted article is kept.
      return pages.extract(page.body, page.url, page.contentType);
    });
    article.html = extracted.html;
    article.fullText = 'extracted';
    if (!article.author && extracted.byline) article.author = extracted.byline;
    options.onProgress?.({ type: 'page-done', source, url, ok: true });
  } catch (error) {
    if (error instanceof FeedError && error.code === 'ABORTED') throw error;
    article.fullText = 'failed';
    article.fullTextError = error instanceof Error ? error.message : String(error);
    options.onProgress?.({ type: 'page-done', source, url, ok: false });
  }
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
