import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { simpleParser } from 'mailparser';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailerError } from './errors.js';
import { createOutboxTransport } from './outbox.js';
import { sendToKindle } from './send.js';
import { runTransportConformance } from './testing.js';

runTransportConformance('outbox', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'n2k-outbox-'));
  return {
    transport: createOutboxTransport({ dir: join(dir, 'outbox') }),
    async delivered(result) {
      const parsed = await simpleParser(await readFile(result.path as string));
      const to = [parsed.to].flat().flatMap((a) => a?.value.map((v) => v.address ?? '') ?? []);
      return {
        to,
        subject: parsed.subject ?? '',
        text: parsed.text ?? '',
        attachments: parsed.attachments.map((a) => ({
          filename: a.filename ?? '',
          contentType: a.contentType,
          content: a.content,
        })),
      };
    },
    teardown: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('outbox transport', () => {
  let dir: string;
  let book: string;
  const bytes = Buffer.from('PK\u0003\u0004 not really a zip, but bytes to compare \r\n.\r\n');
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n2k-outbox-'));
    book = join(dir, 'book.epub');
    await writeFile(book, bytes);
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes <stamp>-<name>.eml with the book beside it and returns both paths', async () => {
    const outbox = join(dir, 'out');
    const result = await sendToKindle(
      { path: book, format: 'epub', title: 'News 2026-11-29' },
      { to: ['me@kindle.com'], from: 'me@example.org', transport: createOutboxTransport({ dir: outbox }) },
    );
    const eml = result.messages[0]?.path as string;
    expect(dirname(eml)).toBe(outbox);
    expect(basename(eml)).toMatch(/^\d{8}T\d{9}Z-News-2026-11-29\.eml$/);
    const names = (await readdir(outbox)).sort();
    expect(names).toHaveLength(2);
    const epub = names.find((n) => n.endsWith('.epub')) as string;
    expect(epub).toBe(basename(eml).replace(/\.eml$/, '.epub'));
    expect((await readFile(join(outbox, epub))).equals(bytes)).toBe(true);
    expect(result.accepted).toEqual(['me@kindle.com']);
    // RFC 5322 line endings, exactly as SMTP would carry the message
    const raw = (await readFile(eml)).toString('latin1');
    expect(raw).toContain('\r\n');
    expect(raw.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('never overwrites: messages sent at the same moment all survive, with no temporary files left', async () => {
    const transport = createOutboxTransport({ dir });
    const message = {
      from: 'me@example.org',
      to: ['me@kindle.com'],
      subject: 's',
      text: 't',
      attachments: [{ filename: 'Same.epub', path: book, contentType: 'application/epub+zip' }],
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => transport.send(message)));
    expect(new Set(results.map((r) => r.path)).size).toBe(5);
    const names = await readdir(dir);
    expect(names.filter((n) => n.endsWith('.eml'))).toHaveLength(5);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('fails verify and send with OUTBOX_FAILED when the folder cannot be used', async () => {
    const transport = createOutboxTransport({ dir: join(book, 'sub') });
    await expect(transport.verify()).rejects.toMatchObject({ code: 'OUTBOX_FAILED' });
    const error = await transport
      .send({ from: 'a@b.cd', to: ['c@d.ef'], subject: 's', text: 't', attachments: [] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailerError);
    expect((error as MailerError).transient).toBe(false);
  });
});
