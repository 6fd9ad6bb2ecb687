import { createTransport } from 'nodemailer';
import { MailerError, type MailerStage } from './errors.js';
import { stageOf, toMailerError } from './smtp-errors.js';
import type { OutgoingMessage, Transport, TransportResult } from './types.js';

export interface SmtpOptions {
  host: string;
  /** Default 587 (STARTTLS), or 465 when `secure` is true. */
  port?: number;
  /** Implicit TLS from the first byte (port 465). Default: true only for port 465. */
  secure?: boolean;
  /** Allow a session without TLS (a loopback relay). Default false: STARTTLS must succeed before AUTH. */
  allowPlaintext?: boolean;
  auth?: { user: string; pass: string; method?: 'PLAIN' | 'LOGIN' };
  /** Time to open the TCP connection (default 30 s). */
  connectionTimeoutMs?: number;
  /** Time to wait for the 220 greeting (default 30 s). */
  greetingTimeoutMs?: number;
  /** Inactivity allowed on an open connection (default 5 min). */
  socketTimeoutMs?: number;
  /** Extra trusted CA certificate(s), PEM. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Accept an untrusted certificate. Only for test servers: it allows interception. */
  allowSelfSigned?: boolean;
  /** Name sent in EHLO (default: the machine's host name). */
  name?: string;
}

/** Sends through an SMTP server with nodemailer: the transport for real delivery. */
export function createSmtpTransport(options: SmtpOptions): Transport {
  if (!options?.host) throw new MailerError('INVALID_OPTIONS', 'smtp: host is required');
  const secure = options.secure ?? options.port === 465;
  const port = options.port ?? (secure ? 465 : 587);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new MailerError('INVALID_OPTIONS', `smtp: port must be 1–65535, got ${options.port}`);
  }
  const secrets = options.auth ? [options.auth.pass] : [];
  // nodemailer reports the failing command only loosely ("CONN"), so the transaction log is
  // watched to know the stage a dropped connection or timeout happened in. Sends are serialised,
  // so one tracker per transport is exact.
  let lastStage: MailerStage | undefined;
  const watch = (entry: { tnx?: string } | undefined, line: unknown) => {
    if (entry?.tnx === 'client' && typeof line === 'string') lastStage = stageOf(line) ?? lastStage;
  };
  const quiet = () => undefined;
  const mailer = createTransport({
    host: options.host,
    port,
    secure,
    requireTLS: !secure && !options.allowPlaintext,
    ignoreTLS: false,
    ...(options.auth
      ? { auth: { user: options.auth.user, pass: options.auth.pass }, authMethod: options.auth.method ?? 'PLAIN' }
      : {}),
    connectionTimeout: options.connectionTimeoutMs ?? 30_000,
    greetingTimeout: options.greetingTimeoutMs ?? 30_000,
    socketTimeout: options.socketTimeoutMs ?? 300_000,
    ...(options.name ? { name: options.name } : {}),
    tls: {
      ...(options.ca ? { ca: options.ca } : {}),
      rejectUnauthorized: !options.allowSelfSigned,
      minVersion: 'TLSv1.2',
    },
    transactionLog: true,
    logger: { trace: quiet, info: quiet, warn: quiet, error: quiet, fatal: quiet, debug: watch },
  });
  const context = () => ({ host: options.host, port, secure, lastStage, secrets });
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(job: () => Promise<T>): Promise<T> => {
    const run = queue.then(job, job);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    name: 'smtp',
    send: (message: OutgoingMessage) =>
      serial(async (): Promise<TransportResult> => {
        lastStage = 'connect';
        try {
          const info = await mailer.sendMail({
            from: message.from,
            to: message.to,
            subject: message.subject,
            text: message.text,
            attachments: message.attachments.map((a) => ({
              filename: a.filename,
              path: a.path,
              contentType: a.contentType,
            })),
          });
          return {
            messageId: info.messageId,
            accepted: info.accepted.map(String),
            rejected: info.rejected.map(String),
          };
        } catch (error) {
          throw toMailerError(error, context());
        }
      }),
    verify: () =>
      serial(async () => {
        lastStage = 'connect';
        try {
          await mailer.verify();
        } catch (error) {
          throw toMailerError(error, context());
        }
      }),
    close: async () => {
      mailer.close();
    },
  };
}
