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
export type FeedErrorCode =
  | 'FEED_LIST_INVALID'
  | 'FEED_EMPTY'
  | 'FEED_NOT_RECOGNIZED'
  | 'FEED_MALFORMED'
  | 'HTTP_STATUS'
  | 'HTTP_TIMEOUT'
  | 'HTTP_TOO_LARGE'
  | 'HTTP_REDIRECTS'
  | 'HTTP_NETWORK'
  | 'FILE_READ'
  | 'ABORTED'
  | 'FULL_TEXT_FAILED'
  | (string & {});

export interface FeedErrorOptions {
  cause?: unknown;
  url?: string;
  status?: number;
  line?: number;
}

/** Base error of @news2kindle/feed-fetcher: a stable `code` to branch on, the facts, and the `cause`. */
export class FeedError extends Error {
  override name = 'FeedError';
  readonly code: FeedErrorCode;
  /** The feed or page URL, with any credentials removed. */
  readonly url?: string;
  /** The HTTP status, for HTTP_STATUS. */
  readonly status?: number;
  /** The 1-based line of a feeds.txt, for FEED_LIST_INVALID. */
  readonly line?: number;
  constructor(code: FeedErrorCode, message: string, options: FeedErrorOptions = {}) {
    // Credentials in URLs (https://user:secret@host/feed) never reach messages or logs.
    const safe = message.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, '$1');
    super(safe, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    if (options.url !== undefined) this.url = redactUrl(options.url);
    if (options.status !== undefined) this.status = options.status;
    if (options.line !== undefined) this.line = options.line;
  }
}

/** Removes user:password from a URL so it can go into messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Wraps anything thrown into a FeedError, keeping FeedErrors as they are. */
export function toFeedError(error: unknown, code: FeedErrorCode, url?: string): FeedError {
  if (error instanceof FeedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FeedError(code, `${message}${url ? ` (${redactUrl(url)})` : ''}`, { cause: error, url });
}
