/**
 * Stable codes of FeedError. Branch on these, never on messages.
 * - FEED_LIST_INVALID: a feeds.txt line or OPML document could not be read (message names the line)
 * - FEED_EMPTY: the input has no bytes / no text
 * - FEED_NOT_RECOGNIZED: the document is not RSS, Atom or JSON Feed (an HTML page, say)
 * - FEED_MALFORMED: the document looks like a feed but is not well-formed XML / JSON
 * - HTTP_STATUS: the server answered an error status (`status` is set)
 * - HTTP_TIMEOUT: no headers, or no complete body, within the time limit
 * - HTTP_TOO_LARGE: the (decompressed) body exceeds `maxBytes`
 * - HTTP_REDIRECTS: more than 5 redirects, or a redirect without a usable Location
 * - HTTP_NETWORK: connection refused or reset, DNS failure, TLS failure
 * - FILE_READ: a file:// source or local path could not be read
 * - ABORTED: the caller's AbortSignal fired
 * - FULL_TEXT_FAILED: the article page could not be fetched or had no readable article
 */
type FeedErrorCode = 'FEED_LIST_INVALID' | 'FEED_EMPTY' | 'FEED_NOT_RECOGNIZED' | 'FEED_MALFORMED' | 'HTTP_STATUS' | 'HTTP_TIMEOUT' | 'HTTP_TOO_LARGE' | 'HTTP_REDIRECTS' | 'HTTP_NETWORK' | 'FILE_READ' | 'ABORTED' | 'FULL_TEXT_FAILED' | (string & {});
interface FeedErrorOptions {
    cause?: unknown;
    url?: string;
    status?: number;
    line?: number;
}
/** Base error of @news2kindle/feed-fetcher: a stable `code` to branch on, the facts, and the `cause`. */
declare class FeedError extends Error {
    name: string;
    readonly code: FeedErrorCode;
    /** The feed or page URL, with any credentials removed. */
    readonly url?: string;
    /** The HTTP status, for HTTP_STATUS. */
    readonly status?: number;
    /** The 1-based line of a feeds.txt, for FEED_LIST_INVALID. */
    readonly line?: number;
    constructor(code: FeedErrorCode, message: string, options?: FeedErrorOptions);
}

/** How to treat summary-only items: fetch the page when needed, always, or never. */
type FullTextMode = 'auto' | 'always' | 'never';
/** One feed to read, from feeds.txt, OPML or code. */
interface FeedSource {
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
interface Article {
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
interface ParsedFeed {
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
interface ParseFeedOptions {
    /** The feed's URL: base for relative links, and `feedUrl` of the articles. */
    url?: string;
    /** The HTTP Content-Type header, for its charset. */
    contentType?: string;
    /** The fetch time, given to undated items. Defaults to now. */
    now?: Date;
}
type ProgressEvent = {
    type: 'feed-start';
    source: FeedSource;
    index: number;
    total: number;
} | {
    type: 'feed-done';
    source: FeedSource;
    index: number;
    total: number;
    result: FeedResult;
} | {
    type: 'retry';
    url: string;
    attempt: number;
    delayMs: number;
    reason: string;
} | {
    type: 'page-done';
    source: FeedSource;
    url: string;
    ok: boolean;
};
interface FetchFeedsOptions {
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
    conditional?: (source: FeedSource) => {
        etag?: string;
        lastModified?: string;
    } | undefined;
    /** Default for sources without their own `fullText`. Default 'auto'. */
    fullText?: FullTextMode;
    /**
     * Where full text is extracted. Default: in a worker thread, one page at a time, a page failing
     * (FULL_TEXT_FAILED, summary kept) when it takes longer than `timeoutMs` (default 20000) or
     * needs more heap than `maxHeapMb` (default 96). `false` extracts on the calling thread, without
     * those limits.
     */
    extraction?: false | {
        timeoutMs?: number;
        maxHeapMb?: number;
    };
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
    /**
     * A fetch implementation. Default: `leanFetch` from @news2kindle/lean-fetch (fetch on
     * node:http; Node's built-in fetch costs ~23 MB more memory over 1000 requests).
     */
    fetch?: typeof fetch;
    /** The fetch time given to undated items. Default: now. */
    now?: Date;
}
interface FeedResult {
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
    timings: {
        startedAt: Date;
        ms: number;
    };
}

interface ExtractedArticle {
    /** The article's HTML, links and images absolute. */
    html: string;
    title?: string;
    byline?: string;
    excerpt?: string;
    lang?: string;
    /** Characters of text in the article. */
    length: number;
}
type El = {
    getAttribute(name: string): string | null;
    setAttribute(name: string, value: string): void;
    removeAttribute(name: string): void;
    textContent: string | null;
    innerHTML: string;
    tagName: string;
    parentNode: El | null;
    previousElementSibling: El | null;
    replaceWith(...nodes: unknown[]): void;
    querySelector(selector: string): El | null;
    querySelectorAll(selector: string): Iterable<El>;
};
/**
 * Turns lazy-loaded images into plain ones before Readability runs (it would drop placeholders):
 * `data-src`/`data-original`/… become `src`, `srcset`/`data-srcset` give their largest candidate,
 * and a `<noscript><img></noscript>` replaces the placeholder image just before it.
 */
declare function fixLazyImages(document: {
    querySelectorAll(selector: string): Iterable<El>;
}): void;
/**
 * Extracts the readable article from a page with Mozilla Readability on linkedom, lazy images
 * fixed first, relative URLs resolved against the page URL (or its `<base href>`). Throws
 * FeedError FULL_TEXT_FAILED when the page has no readable article.
 */
declare function extractFullText(html: string, url: string): ExtractedArticle;
/** Whether an article carries only a summary: short text, or text ending the way teasers end. */
declare function isSummaryOnly(article: Pick<Article, 'html'>, minChars?: number): boolean;

export { type Article as A, type ExtractedArticle as E, type FeedSource as F, type ParseFeedOptions as P, type FetchFeedsOptions as a, type FeedResult as b, type ParsedFeed as c, FeedError as d, extractFullText as e, type FeedErrorCode as f, type FeedErrorOptions as g, type FullTextMode as h, type ProgressEvent as i, fixLazyImages as j, isSummaryOnly as k };
