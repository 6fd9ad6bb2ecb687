/** One file attached to an outgoing message. */
export interface OutgoingAttachment {
  /** Name the recipient sees, e.g. `News-2026-11-29.epub`. */
  filename: string;
  /** Where the bytes are read from (streamed, never loaded whole into memory by the core). */
  path: string;
  /** MIME type; the core always sets a specific one, never `application/octet-stream`. */
  contentType: string;
}

/** A fully built message: transports deliver it as given and add nothing but transport headers. */
export interface OutgoingMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  attachments: OutgoingAttachment[];
}

/** What a transport reports for one message. */
export interface TransportResult {
  messageId: string;
  /** Recipients the server (or outbox) accepted: what the pipeline records as delivered. */
  accepted: string[];
  rejected: string[];
  /** Where the message was written, for transports that write files (outbox). */
  path?: string;
  /** Every file written for this message (the `.eml` and the attachments beside it). */
  files?: string[];
}

/**
 * The contract every transport adapter implements. Adapters throw `MailerError` with
 * `transient` set so the core knows whether a retry can help.
 */
export interface Transport {
  /** Short name used in errors and logs, e.g. `smtp` or `outbox`. */
  name: string;
  send(message: OutgoingMessage): Promise<TransportResult>;
  /** Connect, greet and authenticate (or check the folder) without sending anything. */
  verify(): Promise<void>;
  /** Release connections; safe to call more than once. */
  close(): Promise<void>;
}
