import { MailerError, type MailerErrorCode, type MailerStage } from './errors.js';
import { redact } from './redact.js';

/** The fields nodemailer puts on its errors. */
interface NodemailerError extends Error {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  timeoutType?: string;
}

const TRANSIENT_SOCKET = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/** Where the conversation was, from the last command nodemailer wrote or the one it blames. */
export function stageOf(command: string | undefined): MailerStage | undefined {
  if (!command) return undefined;
  const c = command.toUpperCase();
  if (c.startsWith('STARTTLS')) return 'tls';
  if (c.startsWith('AUTH')) return 'auth';
  if (c.startsWith('MAIL FROM')) return 'mail-from';
  if (c.startsWith('RCPT TO')) return 'rcpt';
  if (c.startsWith('DATA') || c === 'MESSAGE') return 'data';
  if (c.startsWith('EHLO') || c.startsWith('HELO') || c === 'CONN' || c === 'GREETING') return 'connect';
  return undefined;
}

/**
 * Turns a nodemailer error into a MailerError with the stage, whether a retry can help, and
 * the most likely fix. `lastStage` is what the connection was doing when it failed.
 */
export function toMailerError(
  raw: unknown,
  context: { host: string; port: number; secure: boolean; lastStage?: MailerStage | undefined; secrets: string[] },
): MailerError {
  if (raw instanceof MailerError) return raw;
  const err = (raw ?? {}) as NodemailerError;
  scrub(err, context.secrets);
  const code = err.code ?? '';
  const responseCode = typeof err.responseCode === 'number' ? err.responseCode : undefined;
  const response = err.response ? redact(String(err.response), context.secrets) : undefined;
  const stage = stageOf(err.command) === 'connect' && context.lastStage ? context.lastStage : stageOf(err.command);
  const where = `${context.host}:${context.port}`;
  const reply = response ? ` (server said: ${response})` : '';
  let kind: MailerErrorCode = 'SEND_FAILED';
  let message: string;
  let transient = responseCode !== undefined ? responseCode >= 400 && responseCode < 500 : false;
  const modeHint = context.secure
    ? `port ${context.port} is set to implicit TLS (secure: true); if the server expects STARTTLS (usually port 587) set secure: false`
    : `port ${context.port} is set to STARTTLS/plain (secure: false); if the server expects implicit TLS (usually port 465) set secure: true`;

  if (code === 'EAUTH' || stage === 'auth') {
    kind = 'AUTH_FAILED';
    message =
      `${where} refused the login${reply}; check the user name and password — Gmail, Outlook and iCloud ` +
      'need an app password when two-step sign-in is on, and SendGrid expects the user "apikey"';
  } else if (code === 'ETIMEDOUT') {
    kind = 'TIMEOUT';
    transient = true;
    message =
      err.timeoutType === 'GREETING_TIMEOUT' || stage === 'connect' || !stage
        ? `no SMTP greeting from ${where} in time; the server may be slow or the TLS mode may be wrong: ${modeHint}`
        : `${where} stopped answering during ${stage}`;
  } else if (
    code === 'ETLS' ||
    stage === 'tls' ||
    /wrong version number|certificate|self[- ]signed|SSL|TLS/i.test(err.message ?? '')
  ) {
    kind = 'TLS_FAILED';
    transient = false;
    const text = redact(err.message ?? '', context.secrets);
    if (/certificate|self[- ]signed|altnames|issuer/i.test(text)) {
      message =
        `the TLS certificate of ${where} is not trusted (${firstLine(text)}); pass its CA certificate (ca), ` +
        'or set allowSelfSigned for a test server only';
    } else if (err.command === 'STARTTLS' || /STARTTLS/.test(text)) {
      message =
        `${where} refused STARTTLS${reply}; it may expect implicit TLS (secure: true, usually port 465), ` +
        'or be a plaintext relay (allowPlaintext, for loopback only)';
    } else {
      message = `TLS with ${where} failed (${firstLine(text)}); ${modeHint}`;
    }
  } else if (transient && (stage === 'mail-from' || stage === 'rcpt' || stage === 'data' || stage === 'connect')) {
    kind =
      stage === 'connect'
        ? 'CONNECT_FAILED'
        : stage === 'data'
          ? 'MESSAGE_REJECTED'
          : stage === 'rcpt'
            ? 'RECIPIENTS_REJECTED'
            : 'SENDER_REJECTED';
    message = `${where} temporarily refused the message at ${stage}${reply}; this is retried, and usually passes later`;
  } else if (responseCode !== undefined && stage === 'mail-from') {
    kind = 'SENDER_REJECTED';
    message =
      `${where} refused the sender${reply}; send from an address this account may use, and add it to ` +
      "Amazon's Approved Personal Document E-mail List";
  } else if (responseCode !== undefined && stage === 'rcpt') {
    kind = 'RECIPIENTS_REJECTED';
    message = `${where} refused the recipients${reply}; check the Send-to-Kindle address(es) in Amazon's Personal Document Settings`;
  } else if (responseCode !== undefined && (stage === 'data' || responseCode === 552 || responseCode === 554)) {
    kind = 'MESSAGE_REJECTED';
    message =
      responseCode === 552
        ? `${where} refused the message as too large${reply}; split the book into smaller volumes (lower maxBytes)`
        : `${where} refused the message${reply}; make sure the sender is on Amazon's Approved Personal Document E-mail List`;
  } else if (
    code === 'ECONNECTION' ||
    code === 'ESOCKET' ||
    code === 'EDNS' ||
    TRANSIENT_SOCKET.has(err.originalCode ?? '')
  ) {
    const socketCode = err.originalCode ?? code;
    kind = stage && stage !== 'connect' ? 'CONNECTION_LOST' : 'CONNECT_FAILED';
    transient = responseCode === undefined ? socketCode !== 'ENOTFOUND' : transient;
    message =
      kind === 'CONNECTION_LOST'
        ? `the connection to ${where} was lost during ${stage}${reply}`
        : `cannot connect to ${where} (${socketCode})${reply}; check host and port — port 25 is blocked on Heroku and ` +
          'many networks: use 587 (STARTTLS) or 465 (implicit TLS)';
  } else {
    message = `sending through ${where} failed: ${redact(err.message ?? String(raw), context.secrets)}`;
  }
  return new MailerError(kind, `smtp: ${message}`, {
    cause: raw,
    transient,
    ...(responseCode !== undefined ? { responseCode } : {}),
    ...(response !== undefined ? { response } : {}),
    ...(stage ? { stage } : {}),
  });
}

/** The original error stays as `cause`, so its own text must be free of secrets too. */
function scrub(err: NodemailerError, secrets: string[]): void {
  if (typeof err !== 'object' || secrets.length === 0) return;
  for (const key of ['message', 'response', 'stack'] as const) {
    const value = err[key];
    if (typeof value === 'string') {
      try {
        err[key] = redact(value, secrets);
      } catch {
        // a frozen error keeps its text; ours is still redacted
      }
    }
  }
}

/** OpenSSL messages carry a multi-line, internal prefix; keep the readable reason. */
function firstLine(text: string): string {
  const line = (text.split('\n')[0] ?? '').trim();
  const reason = /SSL routines:[^:]*:([^:]+)/.exec(line)?.[1];
  if (reason === 'wrong version number') return 'the server did not answer in TLS';
  return (reason ?? line).replace(/:$/, '');
}
