/** Base error of @news2kindle/feed-fetcher: a stable `code` to branch on, the facts, and the `cause`. */
export class FeedError extends Error {
  override name = 'FeedError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
