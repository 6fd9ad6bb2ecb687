/** Base error of @news2kindle/mobi-converter: a stable `code` to branch on, the facts, and the `cause`. */
export class ConverterError extends Error {
  override name = 'ConverterError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
