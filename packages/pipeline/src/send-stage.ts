import { MailerError, type SectionCount, type Transport, sendToKindle } from '@news2kindle/kindle-mailer';
import type { Volume } from './book-stage.js';
import type { Config } from './config.js';

/** Addresses an outbox message carries when no Kindle address is configured. */
export const OUTBOX_TO = 'kindle@outbox.invalid';
export const OUTBOX_FROM = 'news2kindle@outbox.invalid';

/**
 * SMTP when configured, else the outbox folder (so a fresh machine still gets its book). Both
 * load nodemailer, so they are imported only when a run gets as far as sending.
 */
export async function transportFor(config: Config): Promise<Transport> {
  if (config.smtp) {
    const { createSmtpTransport } = await import('@news2kindle/kindle-mailer/smtp');
    return createSmtpTransport(config.smtp);
  }
  const { createOutboxTransport } = await import('@news2kindle/kindle-mailer/outbox');
  return createOutboxTransport({ dir: config.outbox });
}

export interface SentVolume {
  volume: Volume;
  accepted: string[];
  rejected: string[];
  messageId: string;
  files: string[];
}

export interface SendStageResult {
  sent: SentVolume[];
  /** The failure that stopped sending; volumes after it were not tried. */
  error?: unknown;
  warnings: string[];
}

/**
 * Sends the volumes one message each, in order, and stops at the first failure: what a server
 * accepted before it is returned so it can be recorded, the rest is sent again next run.
 */
export async function sendStage(
  volumes: Volume[],
  config: Config,
  options: {
    transport: Transport;
    maxBytes: number;
    /** Section title of a feed, for the message body's table of contents. */
    titleOf?: (feedUrl: string) => string;
    signal?: AbortSignal;
    onSent?: (index: number, volume: Volume) => void;
  },
): Promise<SendStageResult> {
  const to = config.to.length > 0 ? config.to : [OUTBOX_TO];
  const from = config.from ?? OUTBOX_FROM;
  const sent: SentVolume[] = [];
  const warnings: string[] = [];
  for (const [i, volume] of volumes.entries()) {
    try {
      const result = await sendToKindle(
        { path: volume.path, format: volume.format, title: volume.title },
        {
          to,
          from,
          transport: options.transport,
          maxBytes: options.maxBytes,
          retries: config.sendRetries,
          backoffMs: config.sendBackoffMs,
          ...(options.titleOf ? { sections: sectionsOf(volume, options.titleOf) } : {}),
          signal: options.signal,
          onWarning: (message) => {
            if (!warnings.includes(message)) warnings.push(message);
          },
        },
      );
      const message = result.messages[0];
      sent.push({
        volume,
        accepted: result.accepted,
        rejected: result.rejected,
        messageId: message?.messageId ?? '',
        files: message?.path ? [message.path] : [],
      });
      options.onSent?.(i, volume);
    } catch (error) {
      return { sent, error, warnings };
    }
  }
  return { sent, warnings };
}

/** Articles per section of a volume, in book order. */
function sectionsOf(volume: Volume, titleOf: (feedUrl: string) => string): SectionCount[] {
  const counts = new Map<string, number>();
  for (const ref of volume.refs) counts.set(ref.feedUrl, (counts.get(ref.feedUrl) ?? 0) + 1);
  return [...counts].map(([url, articles]) => ({ title: titleOf(url), articles }));
}

/** A short code and message for the report, whatever was thrown. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof MailerError) return { code: error.code, message: error.message };
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { code: typeof code === 'string' ? code : 'FAILED', message: error.message };
  }
  return { code: 'FAILED', message: String(error) };
}
