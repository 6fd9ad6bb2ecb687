/** Base error of @news2kindle/pipeline: a stable `code` to branch on, the facts, and the `cause`. */
export class PipelineError extends Error {
  override name = 'PipelineError';
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
