import type { FeedError } from './errors.js';

/** How to treat summary-only items: fetch the page when needed, always, or never. */
export type FullTextMode = 'auto' | 'always' | 'never';

/** One feed to read, from feeds.txt, OPML or code. */
export interface FeedSource {
  /** http(s) or file:// URL (local paths are turned into file:// URLs by readFeedList). */
  url: string;
  title?: string;
  fullText?: FullTextMode;
  maxItems?: number;
  /** Keep only items whose title or text contains one of these (case-insensitive). */
  include?: string[];
  /** Drop items whose title or text contains one of these (case-insensitive). */
  exclude?: string[];
  /** Line in feeds.txt, for messages. */
  line?: number;
}

export interface Article {
  /** Stable: guid, else link, else a hash of title and content. */
  id: string;
  title: string;
  url?: string;
  author?: string;
  /** The item's date, or the fetch time when it had none (`undated` is then true). */
  published: Date;
  undated: boolean;
  /** The best content we have: the extracted full text, else the feed's content or summary. */
  html: string;
  summary?: string;
  language?: string;
  feedTitle: string;
  feedUrl: string;
  /** Where `html` came from when full text was considered. */
  fullText?: 'extracted' | 'feed' | 'failed';
  /** Why extraction failed, when `fullText` is 'failed'. */
  fullTextError?: string;
  /** The feed's own content (true) or only a summary (false). */
  hasContent?: boolean;
  /** Image URL of an enclosure or media thumbnail, absolute. */
  image?: string;
}

export interface ParsedFeed {
  /** 'rss2.0', 'rss0.9', 'rss1.0', 'atom1.0', 'atom0.3', 'json1.0', 'json1.1'. */
  format: string;
  title: string;
  link?: string;
  language?: string;
  /** The character encoding the bytes were decoded with (lower case WHATWG/iconv name). */
  encoding: string;
  articles: Article[];
  /** Notes about the input, e.g. a declared encoding that did not match the bytes. */
  warnings: string[];
}

export interface ParseFeedOptions {
  /** The feed's URL: base for relative links, and `feedUrl` of the articles. */
  url?: string;
  /** The HTTP Content-Type header, for its charset. */
  contentType?: string;
  /** The fetch time, given to undated items. Defaults to now. */
  now?: Date;
}

export type ProgressEvent =
  | { type: 'feed-start'; source: FeedSource; index: number; total: number }
  | { type: 'feed-done'; source: FeedSource; index: number; total: number; result: FeedResult }
  | { type: 'retry'; url: string; attempt: number; delayMs: number; reason: string }
  | { type: 'page-done'; source: FeedSource; url: string; ok: boolean };

export interface FetchFeedsOptions {
  /** Requests in flight at once, over all hosts. Default 8. */
  concurrency?: number;
  /** Requests in flight at once per host. Default 2. */
  perHost?: number;
  /** Time to connect and receive the response headers, per attempt. Default 15 000 ms. */
  timeoutMs?: number;
  /** Time to receive the whole body once headers arrived. Default 30 000 ms. */
  bodyTimeoutMs?: number;
  /** Largest body accepted, after decompression. Default 10 MiB for feeds and pages. */
  maxBytes?: number;
  /** Default `news2kindle-feed-fetcher/<version> (+https://github.com/news2kindle/news2kindle)`. */
  userAgent?: string;
  /** Retries for network errors, 5xx and 429. Default 2. */
  retries?: number;
  /** First back-off delay; doubles per retry. Default 500 ms. */
  retryDelayMs?: number;
  /** Longest Retry-After honoured; a longer one fails the feed at once. Default 30 000 ms. */
  maxRetryAfterMs?: number;
  /** Abort everything: results of unfinished feeds carry an ABORTED error. */
  signal?: AbortSignal;
  /** Validators stored from the previous run, sent as If-None-Match / If-Modified-Since. */
  conditional?: (source: FeedSource) => { etag?: string; lastModified?: string } | undefined;
  /** Default for sources without their own `fullText`. Default 'auto'. */
  fullText?: FullTextMode;
  /** Drop items older than this (before full text is fetched). */
  since?: Date;
  /** At most this many items per feed (the source's maxItems wins when smaller). */
  maxPerFeed?: number;
  /**
   * Leaves out selected items the caller already has (e.g. delivered before), applied after
   * selection and before full text is fetched, so their pages are not downloaded again. Skipped
   * items are not in the result's `articles`; `skipped` counts them.
   */
  skip?: (article: Article, source: FeedSource) => boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** A fetch implementation (default: globalThis.fetch). */
  fetch?: typeof fetch;
  /** The fetch time given to undated items. Default: now. */
  now?: Date;
}

export interface FeedResult {
  source: FeedSource;
  ok: boolean;
  /** The parsed feed; its `articles` are the selection (the same array as `articles`). */
  feed?: ParsedFeed;
  /** The selected articles, newest first, full text added. */
  articles: Article[];
  /** How many items the feed had before selection. */
  itemCount?: number;
  /** How many selected items the `skip` option left out. */
  skipped?: number;
  /** The server answered 304: nothing new since the stored validators. */
  notModified: boolean;
  etag?: string;
  lastModified?: string;
  error?: FeedError;
  encoding?: string;
  /** The final URL after redirects. */
  finalUrl?: string;
  timings: { startedAt: Date; ms: number };
}
