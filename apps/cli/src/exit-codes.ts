/**
 * The CLI's exit codes, documented in the README: cron jobs and Heroku Scheduler branch on them,
 * so they never change meaning.
 */
export const EXIT = {
  /** Delivered, or nothing new to deliver. */
  ok: 0,
  /** The delivery (or the command) failed; nothing was recorded, the next run tries again. */
  failed: 1,
  /** Bad configuration or usage: fix the flags, environment or feeds file. */
  usage: 2,
  /** Delivered, but some feeds failed (their articles come with a later run). */
  partial: 3,
  /** Interrupted by SIGINT (128 + 2) or SIGTERM (128 + 15); nothing was recorded. */
  sigint: 130,
  sigterm: 143,
} as const;

/** Wrong flags, arguments or values: exit 2, with the message and a pointer to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly code = 'USAGE';
  /** The command whose help the user should read, e.g. `send` or `feeds import`. */
  readonly command: string | undefined;
  constructor(message: string, command?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.command = command;
  }
}
