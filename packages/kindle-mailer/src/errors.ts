/** Where in an SMTP conversation a failure happened. */
export type MailerStage = 'connect' | 'tls' | 'auth' | 'mail-from' | 'rcpt' | 'data';

/** Stable codes callers can branch on. */
export type MailerErrorCode =
  | 'INVALID_OPTIONS'
  | 'INVALID_ADDRESS'
  | 'BOOK_NOT_FOUND'
  | 'BOOK_TOO_LARGE'
  | 'TOO_MANY_ATTACHMENTS'
  | 'CONNECT_FAILED'
  | 'TIMEOUT'
  | 'TLS_FAILED'
  | 'AUTH_FAILED'
  | 'SENDER_REJECTED'
  | 'RECIPIENTS_REJECTED'
  | 'MESSAGE_REJECTED'
  | 'CONNECTION_LOST'
  | 'OUTBOX_FAILED'
  | 'ABORTED'
  | 'SEND_FAILED';

export interface MailerErrorDetails {
  cause?: unknown;
  /** SMTP reply code, e.g. 535. */
  responseCode?: number;
  /** SMTP reply text as the server sent it (secrets removed). */
  response?: string;
  stage?: MailerStage;
  /** True when trying again later may succeed (timeouts, resets, 4xx replies). */
  transient?: boolean;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** Which volume (1-based) failed, when several were sent. */
  volume?: number;
  /** Book size and limit, for BOOK_TOO_LARGE. */
  bytes?: number;
  maxBytes?: number;
}

/** Base error of @news2kindle/kindle-mailer: a stable `code` to branch on, the facts, and the `cause`. */
export class MailerError extends Error {
  override name = 'MailerError';
  readonly code: MailerErrorCode | (string & {});
  readonly responseCode?: number;
  readonly response?: string;
  readonly stage?: MailerStage;
  readonly transient: boolean;
  attempts?: number;
  volume?: number;
  /**
   * Messages (earlier volumes) the server had already accepted when this one failed: the
   * caller may record them, or resend everything (at-least-once).
   */
  sent?: Array<{ messageId: string; accepted: string[]; rejected: string[]; volume: number; path?: string }>;
  readonly bytes?: number;
  readonly maxBytes?: number;
  constructor(code: MailerErrorCode | (string & {}), message: string, details: MailerErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.transient = details.transient ?? false;
    if (details.responseCode !== undefined) this.responseCode = details.responseCode;
    if (details.response !== undefined) this.response = details.response;
    if (details.stage !== undefined) this.stage = details.stage;
    if (details.attempts !== undefined) this.attempts = details.attempts;
    if (details.volume !== undefined) this.volume = details.volume;
    if (details.bytes !== undefined) this.bytes = details.bytes;
    if (details.maxBytes !== undefined) this.maxBytes = details.maxBytes;
  }
}
