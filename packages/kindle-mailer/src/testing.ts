import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sendToKindle } from './send.js';
import type { Transport, TransportResult } from './types.js';

/** A message as it arrived, parsed by the harness (e.g. with mailparser). */
export interface DeliveredMessage {
  to: string[];
  subject: string;
  text: string;
  attachments: Array<{ filename: string; contentType: string; content: Buffer }>;
}

export interface ConformanceHarness {
  transport: Transport;
  /** Finds and parses what `send` delivered, given its result. */
  delivered(result: TransportResult): Promise<DeliveredMessage>;
  teardown?(): Promise<void>;
}

/**
 * The behaviour every transport must show, as a vitest suite. Run it from each adapter's test
 * file (and from your own adapter's): `runTransportConformance('smtp', async () => ({ … }))`.
 */
export function runTransportConformance(name: string, setup: () => Promise<ConformanceHarness>): void {
  describe(`transport conformance: ${name}`, () => {
    let harness: ConformanceHarness;
    let dir: string;
    let book: string;
    let bytes: Buffer;

    beforeEach(async () => {
      harness = await setup();
      dir = await mkdtemp(join(tmpdir(), 'n2k-conformance-'));
      // Every byte value, CRLFs and a leading dot: what breaks naive text or SMTP dot handling.
      bytes = Buffer.concat([
        Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
        Buffer.from('\r\n.\r\n..\r\nFrom x\r\n'),
        randomBytes(64 * 1024),
      ]);
      book = join(dir, 'book.epub');
      await writeFile(book, bytes);
    });
    afterEach(async () => {
      await harness.transport.close();
      await harness.teardown?.();
      await rm(dir, { recursive: true, force: true });
    });

    const message = (subject = 'News 2026-11-29') => ({
      from: 'sender@example.org',
      to: ['reader_1@kindle.com', 'reader_2@kindle.com'],
      subject,
      text: 'Two sections, five articles.\n',
      attachments: [{ filename: 'News-2026-11-29.epub', path: book, contentType: 'application/epub+zip' }],
    });

    it('has a name', () => {
      expect(harness.transport.name).toMatch(/^[a-z][\w-]*$/);
    });

    it('verifies without sending', async () => {
      await expect(harness.transport.verify()).resolves.toBeUndefined();
    });

    it('delivers recipients, subject, body and a byte-identical attachment', async () => {
      const result = await harness.transport.send(message());
      expect(result.messageId).toMatch(/.+@.+/);
      expect([...result.accepted].sort()).toEqual(['reader_1@kindle.com', 'reader_2@kindle.com']);
      expect(result.rejected).toEqual([]);
      const got = await harness.delivered(result);
      expect([...got.to].sort()).toEqual(['reader_1@kindle.com', 'reader_2@kindle.com']);
      expect(got.subject).toBe('News 2026-11-29');
      expect(got.text.trim()).toBe('Two sections, five articles.');
      expect(got.attachments).toHaveLength(1);
      expect(got.attachments[0]?.filename).toBe('News-2026-11-29.epub');
      expect(got.attachments[0]?.contentType).toBe('application/epub+zip');
      expect(got.attachments[0]?.content.equals(bytes)).toBe(true);
    });

    it('keeps a non-ASCII subject intact', async () => {
      const result = await harness.transport.send(message('Nachrichten – Größe 新闻'));
      expect((await harness.delivered(result)).subject).toBe('Nachrichten – Größe 新闻');
    });

    it('gives each message its own id', async () => {
      const a = await harness.transport.send(message());
      const b = await harness.transport.send(message());
      expect(a.messageId).not.toBe(b.messageId);
    });

    it('carries volumes through sendToKindle, one message each', async () => {
      const result = await sendToKindle(
        [
          { path: book, format: 'epub', filename: 'News-1.epub' },
          { path: book, format: 'epub', filename: 'News-2.epub' },
        ],
        { to: ['reader_1@kindle.com'], from: 'sender@example.org', transport: harness.transport, subject: 'News' },
      );
      expect(result.messages.map((m) => m.volume)).toEqual([1, 2]);
      expect(result.accepted).toEqual(['reader_1@kindle.com']);
      const second = await harness.delivered({ ...result.messages[1], files: [] } as TransportResult);
      expect(second.subject).toBe('News (2/2)');
      expect(second.attachments[0]?.filename).toBe('News-2.epub');
    });

    it('closes more than once without failing', async () => {
      await harness.transport.close();
      await expect(harness.transport.close()).resolves.toBeUndefined();
    });
  });
}
