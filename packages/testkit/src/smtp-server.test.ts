import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { type TestSmtpServer, startSmtpServer } from './smtp-server.js';

let server: TestSmtpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('startSmtpServer', () => {
  it('receives and parses a message over STARTTLS with AUTH', async () => {
    server = await startSmtpServer({ tls: 'starttls', auth: { user: 'u', pass: 'p' } });
    const transport = nodemailer.createTransport({
      host: server.host,
      port: server.port,
      secure: false,
      requireTLS: true,
      auth: { user: 'u', pass: 'p' },
      tls: { ca: server.cert },
    });
    await transport.sendMail({
      from: 'me@example.org',
      to: 'k@kindle.com',
      subject: 'Hi',
      text: 'body',
      attachments: [{ filename: 'a.epub', content: Buffer.from('book'), contentType: 'application/epub+zip' }],
    });
    const [msg] = await server.waitForMessages(1);
    expect(msg?.to).toEqual(['k@kindle.com']);
    expect(msg?.parsed.subject).toBe('Hi');
    expect(msg?.parsed.attachments[0]?.contentType).toBe('application/epub+zip');
    expect(msg?.parsed.attachments[0]?.content.toString()).toBe('book');
  });
  it('rejects wrong credentials with 535 and injects DATA replies', async () => {
    server = await startSmtpServer({
      auth: { user: 'u', pass: 'p' },
      faults: { data: (n) => (n === 1 ? { code: 421, message: 'later' } : undefined) },
    });
    const bad = nodemailer.createTransport({
      host: server.host,
      port: server.port,
      auth: { user: 'u', pass: 'x' },
      ignoreTLS: true,
    });
    await expect(bad.sendMail({ from: 'a@b.c', to: 'd@e.f', text: 'x' })).rejects.toMatchObject({ responseCode: 535 });
    const good = nodemailer.createTransport({
      host: server.host,
      port: server.port,
      auth: { user: 'u', pass: 'p' },
      ignoreTLS: true,
    });
    await expect(good.sendMail({ from: 'a@b.c', to: 'd@e.f', text: 'x' })).rejects.toMatchObject({ responseCode: 421 });
    await good.sendMail({ from: 'a@b.c', to: 'd@e.f', text: 'x' });
    expect(server.messages).toHaveLength(1);
    expect(server.dataAttempts()).toBe(2);
  });
});
