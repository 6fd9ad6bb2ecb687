/** Base error of @news2kindle/epub-builder: a stable `code` to branch on, the facts, and the `cause`. */
export class EpubError extends Error {
  override name = 'EpubError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
