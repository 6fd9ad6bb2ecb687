import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, constants, copyFile, link, mkdir, unlink } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createTransport } from 'nodemailer';
import { fileStem } from './book.js';
import { MailerError } from './errors.js';
import type { OutgoingMessage, Transport, TransportResult } from './types.js';

export interface OutboxOptions {
  /** Folder the messages are written to; created when missing. */
  dir: string;
}

/**
 * Writes each message as `<stamp>-<name>.eml` with its attachments beside it: the default
 * when no SMTP server is configured, and a way to see exactly what would be sent.
 */
export function createOutboxTransport(options: OutboxOptions): Transport {
  if (!options?.dir) throw new MailerError('INVALID_OPTIONS', 'outbox: dir is required');
  const dir = options.dir;
  // nodemailer composes the exact MIME message SMTP would carry, streamed rather than buffered.
  const composer = createTransport({ streamTransport: true, buffer: false });
  return {
    name: 'outbox',
    async send(message: OutgoingMessage): Promise<TransportResult> {
      try {
        await mkdir(dir, { recursive: true });
        const first = message.attachments[0];
        const name = fileStem(first ? basename(first.filename, extname(first.filename)) : message.subject);
        const when = stamp();
        const files: string[] = [];
        // Attachments first, the .eml last: a complete .eml means a complete message.
        for (const a of message.attachments) {
          files.push(await placeAtomically(dir, `${when}-${basename(a.filename)}`, (tmp) => copyFile(a.path, tmp)));
        }
        let messageId = '';
        const eml = await placeAtomically(dir, `${when}-${name}.eml`, async (tmp) => {
          const info = await composer.sendMail({
            from: message.from,
            to: message.to,
            subject: message.subject,
            // MIME parts already use CRLF; the body is normalised here because the transport-level
            // `newline` option re-scans the whole message byte by byte (20× slower on a 45 MB book).
            text: message.text.replace(/\r?\n/g, '\r\n'),
            attachments: message.attachments.map((a) => ({
              filename: a.filename,
              path: a.path,
              contentType: a.contentType,
            })),
          });
          messageId = info.messageId;
          await pipeline(info.message as Readable, createWriteStream(tmp));
        });
        files.unshift(eml);
        return { messageId, accepted: [...message.to], rejected: [], path: eml, files };
      } catch (cause) {
        if (cause instanceof MailerError) throw cause;
        throw new MailerError(
          'OUTBOX_FAILED',
          `outbox: cannot write the message into ${dir}: ${(cause as Error).message}`,
          {
            cause,
          },
        );
      }
    },
    async verify() {
      try {
        await mkdir(dir, { recursive: true });
        await access(dir, constants.W_OK);
      } catch (cause) {
        throw new MailerError('OUTBOX_FAILED', `outbox: ${dir} is not a writable folder`, { cause });
      }
    },
    async close() {},
  };
}

/** UTC time down to milliseconds, sortable: 20261129T051200123Z. */
function stamp(): string {
  return new Date().toISOString().replace(/[-:.]/g, '');
}

/**
 * Writes into a temporary file, then links it under its final name, which fails instead of
 * overwriting when the name exists (two runs in the same millisecond get `-2`, `-3`…).
 */
async function placeAtomically(dir: string, name: string, write: (tmp: string) => Promise<void>): Promise<string> {
  const tmp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await write(tmp);
    const ext = extname(name);
    for (let n = 1; ; n++) {
      const target = join(dir, n === 1 ? name : `${basename(name, ext)}-${n}${ext}`);
      try {
        await link(tmp, target);
        return target;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw error;
      }
    }
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}
