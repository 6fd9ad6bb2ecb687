/** Stable codes of {@link EpubError}, for callers to branch on. */
export type EpubErrorCode =
  | 'INVALID_ISSUE'
  | 'INVALID_OPTIONS'
  | 'ARTICLE_TOO_LARGE'
  | 'WRITE_FAILED'
  | 'ABORTED'
  | 'COVER_FAILED'
  | 'NOT_AN_EPUB'
  | (string & {});

/** Base error of @news2kindle/epub-builder: a stable `code` to branch on, the facts, and the `cause`. */
export class EpubError extends Error {
  override name = 'EpubError';
  readonly code: EpubErrorCode;
  /** The file concerned (output book, or the EPUB being linted), when there is one. */
  readonly path: string | undefined;
  /** The article concerned, when there is one. */
  readonly articleId: string | undefined;
  /** Byte figures for size errors. */
  readonly bytes: number | undefined;
  readonly maxBytes: number | undefined;
  constructor(
    code: EpubErrorCode,
    message: string,
    options?: { cause?: unknown; path?: string; articleId?: string; bytes?: number; maxBytes?: number },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options?.path;
    this.articleId = options?.articleId;
    this.bytes = options?.bytes;
    this.maxBytes = options?.maxBytes;
  }
}
