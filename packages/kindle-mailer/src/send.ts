import { stat } from 'node:fs/promises';
import { checkRecipients, checkSender } from './address.js';
import type { BookFile } from './book.js';
import { MailerError } from './errors.js';
import {
  attachmentName,
  attachmentType,
  bodyFor,
  bookTitle,
  formatBytes,
  type SectionCount,
  subjectFor,
} from './message.js';
import { aborted, backoffDelay, sleep } from './retry.js';
import type { OutgoingMessage, Transport, TransportResult } from './types.js';

/** Amazon's limits for Send to Kindle by e-mail. */
export const KINDLE_LIMITS = { maxBytes: 50 * 1024 * 1024, maxAttachments: 25, maxRecipients: 15 } as const;

export interface SendOptions {
  /** 1–15 Send-to-Kindle addresses. */
  to: string[];
  /** The sender; it must be on the Approved Personal Document E-mail List. */
  from: string;
  transport: Transport;
  /** Defaults to the book's title. */
  subject?: string;
  /** Body text; defaults to a summary of sections and article counts. */
  text?: string;
  sections?: SectionCount[];
  /** Largest book per message in bytes (default 50 MB). */
  maxBytes?: number;
  /** Attachments per message (default 25); each message here carries one book. */
  maxAttachments?: number;
  /** Extra attempts after a transient failure (default 3). */
  retries?: number;
  /** First back-off delay in ms, doubled on each retry (default 2000). */
  backoffMs?: number;
  signal?: AbortSignal;
  onWarning?: (message: string) => void;
}

export interface SentMessage {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** 1-based volume number. */
  volume: number;
  path?: string;
}

export interface SendResult {
  messages: SentMessage[];
  /** Recipients that accepted every volume: record the issue as delivered to these. */
  accepted: string[];
  /** Recipients rejected for at least one volume. */
  rejected: string[];
  warnings: string[];
}

/**
 * Mails a book, or its volumes one message each, to Kindle addresses. Every volume is checked
 * against the limits before anything is sent, so a too-large book never goes out half-way.
 */
export async function sendToKindle(books: BookFile | BookFile[], options: SendOptions): Promise<SendResult> {
  const volumes = Array.isArray(books) ? books : [books];
  const limits = checkLimits(options);
  if (volumes.length === 0) throw new MailerError('INVALID_OPTIONS', 'no book given to send');
  const to = checkRecipients(options.to, KINDLE_LIMITS.maxRecipients);
  const from = checkSender(options.from);
  if (limits.maxAttachments < 1) {
    throw new MailerError(
      'TOO_MANY_ATTACHMENTS',
      `maxAttachments is ${limits.maxAttachments}; each message carries one book`,
    );
  }
  const sizes = await Promise.all(volumes.map((book) => checkBook(book, limits.maxBytes, volumes.length)));
  const warnings = formatWarnings(volumes, to);
  for (const w of warnings) options.onWarning?.(w);

  const base = options.subject?.trim() || bookTitle(volumes[0] as BookFile);
  const messages: SentMessage[] = [];
  for (const [i, book] of volumes.entries()) {
    const volume = i + 1;
    const filename = attachmentName(book, volume, volumes.length);
    const message: OutgoingMessage = {
      from,
      to,
      subject: subjectFor(base, volume, volumes.length),
      text: bodyFor({
        title: bookTitle(book),
        filename,
        bytes: sizes[i] as number,
        volume,
        volumes: volumes.length,
        sections: options.sections,
        text: options.text,
      }),
      attachments: [{ filename, path: book.path, contentType: attachmentType(book) }],
    };
    const result = await sendWithRetry(message, options, limits, volume).catch((error: MailerError) => {
      if (messages.length > 0) error.sent = [...messages];
      throw error;
    });
    messages.push({
      messageId: result.messageId,
      accepted: result.accepted,
      rejected: result.rejected,
      volume,
      ...(result.path ? { path: result.path } : {}),
    });
  }
  const rejected = to.filter((a) => messages.some((m) => includes(m.rejected, a) || !includes(m.accepted, a)));
  const accepted = to.filter((a) => !includes(rejected, a));
  return { messages, accepted, rejected, warnings };
}

function checkLimits(options: SendOptions) {
  const limits = {
    maxBytes: options.maxBytes ?? KINDLE_LIMITS.maxBytes,
    maxAttachments: options.maxAttachments ?? KINDLE_LIMITS.maxAttachments,
    retries: options.retries ?? 3,
    backoffMs: options.backoffMs ?? 2000,
  };
  for (const [key, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new MailerError('INVALID_OPTIONS', `${key} must be a whole number ≥ 0, got ${value}`);
    }
  }
  return limits;
}

async function checkBook(book: BookFile, maxBytes: number, volumes: number): Promise<number> {
  let bytes: number;
  try {
    const info = await stat(book.path);
    if (!info.isFile()) throw new Error('not a regular file');
    bytes = info.size;
  } catch (cause) {
    throw new MailerError('BOOK_NOT_FOUND', `cannot read the book at ${book.path}`, { cause });
  }
  if (bytes === 0) throw new MailerError('BOOK_NOT_FOUND', `the book at ${book.path} is empty`);
  if (bytes > maxBytes) {
    const what = volumes > 1 ? 'a volume' : 'the book';
    throw new MailerError(
      'BOOK_TOO_LARGE',
      `${what} at ${book.path} is ${formatBytes(bytes)}, over the ${formatBytes(maxBytes)} limit per message; ` +
        'nothing was sent: split it into smaller volumes (fewer articles or images per volume) and send those',
      { bytes, maxBytes },
    );
  }
  return bytes;
}

function formatWarnings(books: BookFile[], to: string[]): string[] {
  const kindle = to.filter((a) => /@(free\.)?kindle\.com$/i.test(a));
  const old = books.filter((b) => b.format === 'mobi' || b.format === 'azw3');
  if (kindle.length === 0 || old.length === 0) return [];
  return [
    `Amazon no longer accepts ${old[0]?.format.toUpperCase()} by e-mail (since late 2023): ` +
      `${kindle.join(', ')} will likely drop it; send EPUB instead`,
  ];
}

async function sendWithRetry(
  message: OutgoingMessage,
  options: SendOptions,
  limits: { maxAttachments: number; retries: number; backoffMs: number },
  volume: number,
): Promise<TransportResult> {
  if (message.attachments.length > limits.maxAttachments) {
    throw new MailerError('TOO_MANY_ATTACHMENTS', `at most ${limits.maxAttachments} attachments per message`);
  }
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw aborted(options.signal);
    try {
      return await options.transport.send(message);
    } catch (error) {
      const failure =
        error instanceof MailerError
          ? error
          : new MailerError('SEND_FAILED', `${options.transport.name}: ${(error as Error)?.message ?? error}`, {
              cause: error,
            });
      failure.attempts = attempt;
      failure.volume = volume;
      if (!failure.transient || attempt > limits.retries) throw failure;
      await sleep(backoffDelay(limits.backoffMs, attempt), options.signal);
    }
  }
}

function includes(list: readonly string[], address: string): boolean {
  return list.some((a) => a.toLowerCase() === address.toLowerCase());
}
