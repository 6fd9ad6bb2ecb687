import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailerError } from './errors.js';
import { createOutboxTransport } from './outbox.js';
import { sendToKindle } from './send.js';
import type { OutgoingMessage, Transport, TransportResult } from './types.js';

let dir: string;
let book: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n2k-send-'));
  book = join(dir, 'book.epub');
  await writeFile(book, Buffer.alloc(4096, 7));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** A transport that answers from a script: each call takes the next step. */
function scripted(
  steps: Array<Error | ((m: OutgoingMessage) => Partial<TransportResult>)>,
): Transport & { sent: OutgoingMessage[] } {
  const sent: OutgoingMessage[] = [];
  let n = 0;
  return {
    name: 'scripted',
    sent,
    async send(message) {
      const step = steps[Math.min(n++, steps.length - 1)];
      if (step instanceof Error) throw step;
      sent.push(message);
      return { messageId: `<${n}@test>`, accepted: [...message.to], rejected: [], ...step?.(message) };
    },
    async verify() {},
    async close() {},
  };
}
const ok = () => ({});
const base = () => ({ to: ['me@kindle.com'], from: 'me@example.org', backoffMs: 1 });

describe('sendToKindle: validation before any sending', () => {
  it.each([
    [[], /at least one/],
    [['not-an-address'], /not an e-mail address/],
    [['Me <me@kindle.com>'], /not an e-mail address/],
    [Array.from({ length: 16 }, (_, i) => `k${i}@kindle.com`), /at most 15/],
  ])('rejects recipients %j', async (to, message) => {
    const t = scripted([ok]);
    await expect(sendToKindle({ path: book, format: 'epub' }, { ...base(), to, transport: t })).rejects.toMatchObject({
      code: 'INVALID_ADDRESS',
      message: expect.stringMatching(message),
    });
    expect(t.sent).toHaveLength(0);
  });

  it('accepts 15 recipients and removes duplicates', async () => {
    const t = scripted([ok]);
    const to = [...Array.from({ length: 15 }, (_, i) => `k${i}@kindle.com`), 'K0@kindle.com'];
    const result = await sendToKindle({ path: book, format: 'epub' }, { ...base(), to, transport: t });
    expect(t.sent[0]?.to).toHaveLength(15);
    expect(result.accepted).toHaveLength(15);
  });

  it('rejects a sender that is not a bare address', async () => {
    await expect(
      sendToKindle({ path: book, format: 'epub' }, { ...base(), from: 'me', transport: scripted([ok]) }),
    ).rejects.toMatchObject({ code: 'INVALID_ADDRESS', message: expect.stringMatching(/Approved Personal Document/) });
  });

  it('never sends any volume when one is too large, and says to split', async () => {
    const big = join(dir, 'big.epub');
    const t = scripted([ok]);
    await writeFile(big, Buffer.alloc(5000));
    const tooBig = (await sendToKindle(
      [
        { path: book, format: 'epub' },
        { path: big, format: 'epub' },
      ],
      { ...base(), transport: t, maxBytes: 4096 },
    ).catch((e: unknown) => e)) as MailerError;
    expect(tooBig.code).toBe('BOOK_TOO_LARGE');
    expect(tooBig.bytes).toBe(5000);
    expect(tooBig.maxBytes).toBe(4096);
    expect(tooBig.message).toMatch(/split/);
    expect(t.sent).toHaveLength(0);
  });

  it('uses 50 MB as the default limit', async () => {
    const big = join(dir, 'big.epub');
    await writeFile(big, Buffer.alloc(0));
    const { truncate } = await import('node:fs/promises');
    await truncate(big, 50 * 1024 * 1024 + 1);
    await expect(
      sendToKindle({ path: big, format: 'epub' }, { ...base(), transport: scripted([ok]) }),
    ).rejects.toMatchObject({
      code: 'BOOK_TOO_LARGE',
    });
  });

  it('reports a missing book as BOOK_NOT_FOUND', async () => {
    await expect(
      sendToKindle({ path: join(dir, 'nope.epub'), format: 'epub' }, { ...base(), transport: scripted([ok]) }),
    ).rejects.toMatchObject({ code: 'BOOK_NOT_FOUND' });
  });
});

describe('sendToKindle: the message', () => {
  it('names the attachment after the issue, types it by format, and lists sections in the body', async () => {
    const t = scripted([ok]);
    await sendToKindle(
      { path: book, format: 'epub', title: 'News 2026-11-29' },
      { ...base(), transport: t, sections: [{ title: 'World', articles: 2 }] },
    );
    const m = t.sent[0] as OutgoingMessage;
    expect(m.subject).toBe('News 2026-11-29');
    expect(m.attachments).toEqual([
      { filename: 'News-2026-11-29.epub', path: book, contentType: 'application/epub+zip' },
    ]);
    expect(m.text).toMatch(/2 articles in 1 section:\n- World: 2 articles/);
  });

  it('writes a non-empty body without sections, and uses the given text and subject', async () => {
    const t = scripted([ok]);
    await sendToKindle({ path: book, format: 'pdf' }, { ...base(), transport: t });
    await sendToKindle({ path: book, format: 'pdf' }, { ...base(), transport: t, text: 'hello', subject: 'convert' });
    expect(t.sent[0]?.text).toMatch(/Attached: book\.pdf \(4\.0 KB\)/);
    expect(t.sent[0]?.attachments[0]?.contentType).toBe('application/pdf');
    expect(t.sent[1]?.text).toBe('hello');
    expect(t.sent[1]?.subject).toBe('convert');
  });

  it('sends each volume as its own message and names the parts', async () => {
    const out = join(dir, 'out');
    const result = await sendToKindle(
      [1, 2, 3].map(() => ({ path: book, format: 'epub' as const, title: 'News 2026-11-29' })),
      { ...base(), transport: createOutboxTransport({ dir: out }) },
    );
    expect(result.messages.map((m) => m.volume)).toEqual([1, 2, 3]);
    const parsed = await Promise.all(result.messages.map(async (m) => simpleParser(await readFile(m.path as string))));
    expect(parsed.map((p) => p.subject)).toEqual([
      'News 2026-11-29 (1/3)',
      'News 2026-11-29 (2/3)',
      'News 2026-11-29 (3/3)',
    ]);
    expect(parsed.map((p) => p.attachments[0]?.filename)).toEqual([
      'News-2026-11-29-part-1-of-3.epub',
      'News-2026-11-29-part-2-of-3.epub',
      'News-2026-11-29-part-3-of-3.epub',
    ]);
    expect(parsed[1]?.text).toMatch(/Volume 2 of 3/);
    expect((await readdir(out)).filter((n) => n.endsWith('.eml'))).toHaveLength(3);
  });

  it('warns, without failing, when MOBI or AZW3 goes to @kindle.com', async () => {
    const warnings: string[] = [];
    const t = scripted([ok]);
    const result = await sendToKindle(
      { path: book, format: 'mobi' },
      { ...base(), transport: t, onWarning: (w) => warnings.push(w) },
    );
    expect(result.warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no longer accepts MOBI.*EPUB/);
    expect(t.sent[0]?.attachments[0]?.contentType).toBe('application/x-mobipocket-ebook');
    const quiet = await sendToKindle(
      { path: book, format: 'azw3' },
      { ...base(), to: ['me@example.org'], transport: t },
    );
    expect(quiet.warnings).toEqual([]);
    const epub = await sendToKindle({ path: book, format: 'epub' }, { ...base(), transport: t });
    expect(epub.warnings).toEqual([]);
  });

  it('counts a recipient as accepted only when every volume was accepted', async () => {
    const t = scripted([ok, (m) => ({ accepted: m.to.slice(0, 1), rejected: m.to.slice(1) })]);
    const result = await sendToKindle(
      [
        { path: book, format: 'epub' },
        { path: book, format: 'epub' },
      ],
      { ...base(), to: ['a@kindle.com', 'b@kindle.com'], transport: t },
    );
    expect(result.accepted).toEqual(['a@kindle.com']);
    expect(result.rejected).toEqual(['b@kindle.com']);
  });
});

describe('sendToKindle: a later volume failing', () => {
  it('names the failed volume and lists the volumes already accepted', async () => {
    const t = scripted([ok, new MailerError('MESSAGE_REJECTED', 'no', { responseCode: 554 })]);
    const error = (await sendToKindle(
      [
        { path: book, format: 'epub' },
        { path: book, format: 'epub' },
      ],
      { ...base(), transport: t },
    ).catch((e: unknown) => e)) as MailerError;
    expect(error.code).toBe('MESSAGE_REJECTED');
    expect(error.volume).toBe(2);
    expect(error.sent?.map((m) => m.volume)).toEqual([1]);
  });
});

describe('sendToKindle: retries', () => {
  const transient = () => new MailerError('CONNECT_FAILED', 'refused', { transient: true });
  it('retries transient failures with back-off, then succeeds', async () => {
    const t = scripted([transient(), transient(), ok]);
    const result = await sendToKindle({ path: book, format: 'epub' }, { ...base(), transport: t, retries: 2 });
    expect(result.messages).toHaveLength(1);
  });

  it('stops after the given number of retries', async () => {
    const t = scripted([transient()]);
    await expect(
      sendToKindle({ path: book, format: 'epub' }, { ...base(), transport: t, retries: 2 }),
    ).rejects.toMatchObject({
      code: 'CONNECT_FAILED',
      attempts: 3,
      volume: 1,
    });
  });

  it('does not retry permanent failures, and wraps foreign errors', async () => {
    const permanent = scripted([new MailerError('AUTH_FAILED', 'no', { responseCode: 535 }), ok]);
    await expect(
      sendToKindle({ path: book, format: 'epub' }, { ...base(), transport: permanent }),
    ).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      attempts: 1,
    });
    const foreign = scripted([new TypeError('boom'), ok]);
    await expect(sendToKindle({ path: book, format: 'epub' }, { ...base(), transport: foreign })).rejects.toMatchObject(
      {
        code: 'SEND_FAILED',
        message: 'scripted: boom',
        attempts: 1,
      },
    );
  });

  it('stops waiting between attempts when aborted', async () => {
    const controller = new AbortController();
    const t = scripted([transient()]);
    const pending = sendToKindle(
      { path: book, format: 'epub' },
      { ...base(), transport: t, retries: 5, backoffMs: 60_000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
