import { F as FeedSource, a as FetchFeedsOptions, b as FeedResult, P as ParseFeedOptions, c as ParsedFeed, A as Article } from './full-text-e714e653.js';
export { E as ExtractedArticle, d as FeedError, f as FeedErrorCode, g as FeedErrorOptions, h as FullTextMode, i as ProgressEvent, e as extractFullText, j as fixLazyImages, k as isSummaryOnly } from './full-text-e714e653.js';

/**
 * Parses the dates feeds really carry: RFC 822/1123 (with named or numeric zones, two-digit years,
 * missing weekday or seconds, "Sept", "June"), ISO 8601 / RFC 3339 (with or without zone — none
 * means UTC, with a space instead of T, basic format, date only) and W3C-DTF. Undefined if unreadable.
 */
declare function parseDate(value: unknown): Date | undefined;

/**
 * Feed URLs an HTML page advertises with `<link rel="alternate" type="application/rss+xml">`
 * (and Atom / JSON Feed types), absolute, in page order. Lets a feeds.txt line name a site's page.
 */
declare function discoverFeedLinks(page: Uint8Array | string, pageUrl: string, contentType?: string): string[];

interface Decoded {
    text: string;
    /** The encoding used, lower case. */
    encoding: string;
    /** Set when a declared encoding was overruled by the bytes. */
    warning?: string;
}
/**
 * Decodes feed or page bytes: BOM, then the HTTP charset, then the in-document declaration,
 * then detection (UTF-8 if valid, else chardet's statistical guess, else windows-1252). A declared single-byte Latin encoding on
 * bytes that are valid multi-byte UTF-8, or a declared UTF-8 on bytes that are not, is overruled
 * by the bytes — the common server misconfigurations that produce mojibake.
 */
declare function decodeBytes(bytes: Uint8Array, contentType?: string, html?: boolean): Decoded;

interface ReadFeedListOptions {
    /** Folder that relative local paths are resolved against. Default: the current directory. */
    baseDir?: string;
}
/**
 * Reads a feed list: an OPML document (detected from its content) or a feeds.txt.
 *
 * feeds.txt is the original script's format — one URL per line, `#` comments, blank lines —
 * extended compatibly: after the URL, optional `key=value` options and a title:
 *
 *     https://example.com/feed.xml  Example News  full=always max=20 include=kindle,ebook exclude=sponsored
 *     ./local/feed.xml  title="My local feed"  full=never
 *
 * Options: `title=`, `full=auto|always|never`, `max=<n>`, `include=<a,b>`, `exclude=<a,b>`;
 * values with spaces are quoted. Words that are not options form the title.
 * A `#` starts a comment at the start of a line or after a space, outside quotes.
 */
declare function readFeedList(text: string, options?: ReadFeedListOptions): FeedSource[];
/** Writes sources as OPML 2.0, the format every feed reader imports. */
declare function toOpml(sources: FeedSource[], title?: string): string;
/** Writes sources as feeds.txt lines that readFeedList reads back to the same sources. */
declare function toFeedsTxt(sources: FeedSource[]): string;

/**
 * Fetches, parses and selects every source, then fetches full text for the selected summary-only
 * items. One result per source, in the order given; a failing feed is a result with `error`,
 * never a rejection. Selection (since, maxPerFeed/maxItems, include/exclude) and `skip` happen
 * before any article page is fetched.
 */
declare function fetchFeeds(sources: FeedSource[], given?: FetchFeedsOptions): Promise<FeedResult[]>;

declare const DEFAULT_USER_AGENT = "news2kindle-feed-fetcher/0.1 (+https://github.com/news2kindle/news2kindle)";

/**
 * Parses RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed 1.0/1.1, detected from the content.
 * Bytes are decoded by BOM, Content-Type charset, XML declaration, then detection; a string is
 * taken as already decoded. Throws FeedError (FEED_EMPTY, FEED_NOT_RECOGNIZED, FEED_MALFORMED),
 * never anything else.
 */
declare function parseFeed(input: Uint8Array | string, options?: ParseFeedOptions): ParsedFeed;

interface SelectOptions {
    /** Keep items published at or after this time. Undated items are kept (they carry the fetch time). */
    since?: Date;
    /** At most this many items, newest first. */
    maxItems?: number;
    /** Keep only items whose title, summary or content contains one of these words (case-insensitive). */
    include?: string[];
    /** Drop items whose title, summary or content contains one of these words (case-insensitive). */
    exclude?: string[];
}
/**
 * Picks the articles to deliver: filters, then newest first with a stable order for equal dates
 * (the feed's own order), then the first `maxItems`. Duplicate ids keep their first occurrence.
 */
declare function selectArticles(articles: Article[], options?: SelectOptions): Article[];
/** Newest first; equal dates keep their original order (Array.prototype.sort is stable). */
declare function sortNewestFirst(articles: Article[]): Article[];

export { Article, DEFAULT_USER_AGENT, type Decoded, FeedResult, FeedSource, FetchFeedsOptions, ParseFeedOptions, ParsedFeed, type ReadFeedListOptions, type SelectOptions, decodeBytes, discoverFeedLinks, fetchFeeds, parseDate, parseFeed, readFeedList, selectArticles, sortNewestFirst, toFeedsTxt, toOpml };
