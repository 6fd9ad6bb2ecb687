/** Base error of @news2kindle/heroku-runner: a stable `code` to branch on, the facts, and the `cause`. */
export class HerokuError extends Error {
  override name = 'HerokuError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
