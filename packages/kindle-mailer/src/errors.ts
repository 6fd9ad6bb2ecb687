/** Base error of @news2kindle/kindle-mailer: a stable `code` to branch on, the facts, and the `cause`. */
export class MailerError extends Error {
  override name = 'MailerError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
