import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { type SmtpFaults, startSmtpServer, type TestSmtpServer } from '@news2kindle/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MailerError } from './errors.js';
import { sendToKindle } from './send.js';
import { createSmtpTransport, type SmtpOptions } from './smtp.js';
import { runTransportConformance } from './testing.js';
import type { Transport } from './types.js';

const PASSWORD = 'S3cret-Pa55word!';
const USER = 'reader@example.org';
let dir: string;
let book: string;
let bookBytes: Buffer;
let server: TestSmtpServer | undefined;
let transport: Transport | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n2k-smtp-'));
  book = join(dir, 'issue.epub');
  bookBytes = Buffer.concat([Buffer.from('PK\u0003\u0004mimetypeapplication/epub+zip'), Buffer.alloc(200_000, 0xa5)]);
  await writeFile(book, bookBytes);
});
afterAll(() => rm(dir, { recursive: true, force: true }));
afterEach(async () => {
  await transport?.close();
  await server?.close();
  server = undefined;
  transport = undefined;
});

async function start(tls: 'implicit' | 'starttls' | 'none', faults: SmtpFaults = {}, extra: Partial<SmtpOptions> = {}) {
  server = await startSmtpServer({ tls, auth: { user: USER, pass: PASSWORD }, faults });
  transport = createSmtpTransport({
    host: server.host,
    port: server.port,
    secure: tls === 'implicit',
    allowPlaintext: tls === 'none',
    auth: { user: USER, pass: PASSWORD },
    ...(server.cert ? { ca: server.cert } : {}),
    greetingTimeoutMs: 2000,
    ...extra,
  });
  return { server, transport };
}

const send = (t: Transport, extra: Record<string, unknown> = {}) =>
  sendToKindle(
    { path: book, format: 'epub', title: 'News 2026-11-29' },
    { to: ['reader_1@kindle.com'], from: USER, transport: t, retries: 2, backoffMs: 5, ...extra },
  );

async function failure(promise: Promise<unknown>): Promise<MailerError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MailerError);
  const text = `${inspect(error, { depth: 10 })} ${JSON.stringify(error)} ${String((error as Error).cause)}`;
  expect(text).not.toContain(PASSWORD);
  expect(text).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  return error as MailerError;
}

runTransportConformance('smtp', async () => {
  const { server: s, transport: t } = await start('starttls');
  return {
    transport: t,
    async delivered(result) {
      const found = s.messages.find((m) => m.parsed.messageId === result.messageId);
      if (!found) throw new Error(`message ${result.messageId} not received`);
      return {
        to: found.to,
        subject: found.parsed.subject ?? '',
        text: found.parsed.text ?? '',
        attachments: found.parsed.attachments.map((a) => ({
          filename: a.filename ?? '',
          contentType: a.contentType,
          content: a.content,
        })),
      };
    },
  };
});

describe('smtp transport', () => {
  it('sends over implicit TLS with AUTH LOGIN; mailparser sees the issue as sent', async () => {
    const { server: s, transport: t } = await start(
      'implicit',
      {},
      { auth: { user: USER, pass: PASSWORD, method: 'LOGIN' } },
    );
    const result = await sendToKindle(
      { path: book, format: 'epub', title: 'News 2026-11-29' },
      {
        to: ['reader_1@kindle.com', 'reader_2@kindle.com'],
        from: USER,
        transport: t,
        sections: [
          { title: 'World', articles: 3 },
          { title: 'Tech', articles: 1 },
        ],
      },
    );
    expect(result.accepted).toEqual(['reader_1@kindle.com', 'reader_2@kindle.com']);
    const [msg] = await s.waitForMessages(1);
    expect(msg?.to).toEqual(['reader_1@kindle.com', 'reader_2@kindle.com']);
    expect(msg?.from).toBe(USER);
    expect(msg?.parsed.subject).toBe('News 2026-11-29');
    expect(msg?.parsed.text).toContain('- World: 3 articles');
    expect(msg?.parsed.text).toContain('- Tech: 1 article');
    const attachment = msg?.parsed.attachments[0];
    expect(attachment?.filename).toBe('News-2026-11-29.epub');
    expect(attachment?.contentType).toBe('application/epub+zip');
    expect(attachment?.content.equals(bookBytes)).toBe(true);
    expect(result.messages[0]?.messageId).toBe(msg?.parsed.messageId);
  });

  it('verifies STARTTLS and credentials without sending, and does not expose the password', async () => {
    const { server: s, transport: t } = await start('starttls');
    expect(`${inspect(t, { depth: 10, showHidden: true })} ${JSON.stringify(t)}`).not.toContain(PASSWORD);
    await t.verify();
    expect(s.dataAttempts()).toBe(0);
  });

  it('refuses a self-signed certificate unless asked, with a clear TLS error', async () => {
    const { server: s } = await start('starttls');
    const strict = createSmtpTransport({ host: s.host, port: s.port, auth: { user: USER, pass: PASSWORD } });
    const error = await failure(strict.verify());
    expect(error.code).toBe('TLS_FAILED');
    expect(error.transient).toBe(false);
    expect(error.message).toMatch(/allowSelfSigned/);
    const lax = createSmtpTransport({
      host: s.host,
      port: s.port,
      auth: { user: USER, pass: PASSWORD },
      allowSelfSigned: true,
    });
    await expect(lax.verify()).resolves.toBeUndefined();
  });

  it('refuses to authenticate without TLS unless plaintext is allowed', async () => {
    const { server: s } = await start('none');
    const strict = createSmtpTransport({ host: s.host, port: s.port, auth: { user: USER, pass: PASSWORD } });
    const error = await failure(strict.verify());
    expect(error.transient).toBe(false);
    await expect(transport?.verify()).resolves.toBeUndefined();
  });

  it('explains a wrong TLS mode (implicit TLS against a STARTTLS port)', async () => {
    const { server: s } = await start('starttls');
    const wrong = createSmtpTransport({
      host: s.host,
      port: s.port,
      secure: true,
      ca: s.cert,
      auth: { user: USER, pass: PASSWORD },
    });
    const error = await failure(wrong.verify());
    expect(error.code).toBe('TLS_FAILED');
    expect(error.message).toMatch(/did not answer in TLS.*set secure: false/);
  });
});

describe('smtp faults through sendToKindle', () => {
  it('retries a 421 after DATA and then delivers once', async () => {
    const { server: s, transport: t } = await start('starttls', {
      data: (n) => (n === 1 ? { code: 421, message: '4.3.2 try again later' } : undefined),
    });
    const result = await send(t);
    expect(result.accepted).toEqual(['reader_1@kindle.com']);
    expect(s.dataAttempts()).toBe(2);
    expect(s.messages).toHaveLength(1);
  });

  it('retries a 451 at MAIL FROM', async () => {
    const { server: s, transport: t } = await start('starttls', {
      mailFrom: (n) => (n === 1 ? { code: 451, message: '4.7.1 greylisted' } : undefined),
    });
    await send(t);
    expect(s.messages).toHaveLength(1);
  });

  it('does not retry 535 and says what to fix, without the password', async () => {
    const { server: s, transport: t } = await start('starttls', {
      auth: { code: 535, message: `5.7.8 bad credentials for ${PASSWORD}` },
    });
    const error = await failure(send(t));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.responseCode).toBe(535);
    expect(error.stage).toBe('auth');
    expect(error.attempts).toBe(1);
    expect(error.message).toMatch(/app password/);
    expect(error.response).toContain('***');
    expect(s.dataAttempts()).toBe(0);
  });

  it('retries a connection dropped during DATA', async () => {
    const { server: s, transport: t } = await start('starttls', { dropDuringData: (n) => n === 1 });
    await send(t);
    expect(s.dataAttempts()).toBe(2);
    expect(s.messages).toHaveLength(1);
  });

  it('gives up on a connection dropped every time, naming the DATA stage', async () => {
    const { server: s, transport: t } = await start('starttls', { dropDuringData: () => true });
    const error = await failure(send(t, { retries: 1 }));
    expect(error.code).toBe('CONNECTION_LOST');
    expect(error.stage).toBe('data');
    expect(error.transient).toBe(true);
    expect(error.attempts).toBe(2);
    expect(s.dataAttempts()).toBe(2);
  });

  it('times out on a greeting slower than greetingTimeoutMs and hints at the TLS mode', async () => {
    const { transport: t } = await start('starttls', { greetingDelayMs: 1500 }, { greetingTimeoutMs: 200 });
    const error = await failure(send(t, { retries: 0 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.stage).toBe('connect');
    expect(error.transient).toBe(true);
    expect(error.message).toMatch(/greeting/);
    expect(error.message).toMatch(/secure: true/);
  });

  it('does not retry 552 and asks for smaller volumes', async () => {
    const { server: s, transport: t } = await start('starttls', {
      data: () => ({ code: 552, message: '5.3.4 Message size exceeds fixed limit' }),
    });
    const error = await failure(send(t));
    expect(error.code).toBe('MESSAGE_REJECTED');
    expect(error.responseCode).toBe(552);
    expect(error.stage).toBe('data');
    expect(error.message).toMatch(/smaller volumes/);
    expect(s.dataAttempts()).toBe(1);
  });

  it('reports one recipient rejected of two, and delivers to the other', async () => {
    const { server: s, transport: t } = await start('starttls', {
      rcptTo: (a) => (a === 'bad@kindle.com' ? { code: 550, message: '5.1.1 no such user' } : undefined),
    });
    const result = await send(t, { to: ['good@kindle.com', 'bad@kindle.com'] });
    expect(result.accepted).toEqual(['good@kindle.com']);
    expect(result.rejected).toEqual(['bad@kindle.com']);
    expect(result.messages[0]?.rejected).toEqual(['bad@kindle.com']);
    const [msg] = await s.waitForMessages(1);
    expect(msg?.to).toEqual(['good@kindle.com']);
  });

  it('fails without retrying when every recipient is refused', async () => {
    const { server: s, transport: t } = await start('starttls', {
      rcptTo: () => ({ code: 550, message: '5.1.1 no such user' }),
    });
    const error = await failure(send(t, { to: ['a@kindle.com', 'b@kindle.com'] }));
    expect(error.code).toBe('RECIPIENTS_REJECTED');
    expect(error.stage).toBe('rcpt');
    expect(error.responseCode).toBe(550);
    expect(error.attempts).toBe(1);
    expect(error.message).toMatch(/Send-to-Kindle address/);
    expect(s.dataAttempts()).toBe(0);
  });

  it('points at the Approved Personal Document E-mail List when the sender is refused', async () => {
    const { transport: t } = await start('starttls', {
      mailFrom: () => ({ code: 550, message: '5.7.1 sender not allowed' }),
    });
    const error = await failure(send(t));
    expect(error.code).toBe('SENDER_REJECTED');
    expect(error.stage).toBe('mail-from');
    expect(error.message).toMatch(/Approved Personal Document E-mail List/);
    expect(error.attempts).toBe(1);
  });

  it('retries a refused connection, then explains ports', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    transport = createSmtpTransport({ host: '127.0.0.1', port, auth: { user: USER, pass: PASSWORD } });
    const error = await failure(send(transport, { retries: 2 }));
    expect(error.code).toBe('CONNECT_FAILED');
    expect(error.transient).toBe(true);
    expect(error.attempts).toBe(3);
    expect(error.message).toMatch(/587/);
  });
});

describe('smtp TLS mode errors', () => {
  it('explains a server without STARTTLS', async () => {
    const { server: s } = await start('none');
    const error = await failure(
      createSmtpTransport({ host: s.host, port: s.port, auth: { user: USER, pass: PASSWORD } }).verify(),
    );
    expect(error.code).toBe('TLS_FAILED');
    expect(error.message).toMatch(/refused STARTTLS.*secure: true/);
  });

  it('explains STARTTLS mode against an implicit-TLS port (the greeting never comes)', async () => {
    const { server: s } = await start('implicit');
    const wrong = createSmtpTransport({
      host: s.host,
      port: s.port,
      secure: false,
      ca: s.cert,
      greetingTimeoutMs: 200,
    });
    const error = await failure(wrong.verify());
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toMatch(/set secure: true/);
  });
});
