import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintKindle } from '@news2kindle/epub-builder';
import { type TestSmtpServer, requireTool, rss, startSmtpServer } from '@news2kindle/testkit';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConfigInput, parseConfig } from './config.js';
import { deliver } from './deliver.js';
import { createFileStore } from './file-store.js';
import { createMemoryStore } from './memory-store.js';
import { createPostgresStore } from './postgres-store.js';
import { bookLimitFor } from './mail-size.js';
import type { ProgressEvent } from './report.js';
import { type TestSite, readZipEntries, startTestSite, testDatabaseUrl } from './test-site.js';

const EPUBCHECK = '/usr/share/java/epubcheck.jar';
// epubcheck's --version exits 1, so probe java and the jar separately.
const hasCalibre = requireTool('calibre', 'ebook-convert');
const hasEpubcheck = requireTool('java', 'java', ['-version']) && requireTool('epubcheck', 'test', ['-f', EPUBCHECK]);

const databaseUrl = testDatabaseUrl();

let site: TestSite;
let smtp: TestSmtpServer;
let work: string;
let temp: string;

beforeAll(async () => {
  site = await startTestSite();
});
afterAll(async () => {
  await site.close();
});
beforeEach(async () => {
  smtp = await startSmtpServer();
  work = await mkdtemp(join(tmpdir(), 'n2k-deliver-'));
  temp = join(work, 'tmp');
  const { mkdir } = await import('node:fs/promises');
  await mkdir(temp);
});
afterEach(async () => {
  await smtp.close();
  await rm(work, { recursive: true, force: true });
});

function config(extra: Partial<ConfigInput> = {}) {
  return parseConfig({
    feeds: site.feedsFile,
    to: ['reader@kindle.com'],
    from: 'news@example.org',
    smtp: { host: '127.0.0.1', port: smtp.port, secure: false, allowPlaintext: true },
    timeoutMs: 5_000,
    sendRetries: 0,
    title: 'Test News',
    ...extra,
  });
}

describe('deliver end to end', () => {
  it('delivers new articles once, then nothing on a second run', async () => {
    const store = createMemoryStore();
    const events: ProgressEvent[] = [];
    const first = await deliver(config(), { store, tempDir: temp, progress: (e) => events.push(e) });
    expect(first.outcome).toBe('delivered');
    expect(first.error).toBeUndefined();
    const byUrl = Object.fromEntries(first.feeds.map((f) => [new URL(f.url).pathname, f]));
    expect(byUrl['/news.xml']).toMatchObject({ status: 'ok', fetched: 3, new: 2, delivered: 2, title: 'Harbour News' });
    expect(byUrl['/summary.xml']).toMatchObject({ status: 'ok', new: 1, delivered: 1 });
    expect(byUrl['/gbk.xml']).toMatchObject({
      status: 'ok',
      new: 1,
      title: '山海晚报',
      encoding: expect.stringMatching(/^(gbk|gb18030)$/),
    });
    expect(byUrl['/broken.xml']).toMatchObject({ status: 'failed', new: 0, error: { code: expect.any(String) } });
    expect(byUrl['/slow.xml']).toMatchObject({ status: 'ok', new: 1 });
    expect(first).toMatchObject({ articles: 5, delivered: 5, recipients: ['reader@kindle.com'], transport: 'smtp' });
    expect(first.volumes).toHaveLength(1);
    expect(first.volumes[0]).toMatchObject({ articles: 5, accepted: true });
    expect(first.bytes).toBe(first.volumes[0]?.bytes);

    const [message] = await smtp.waitForMessages(1);
    expect(message?.to).toEqual(['reader@kindle.com']);
    expect(message?.parsed.text).toContain('Harbour News');
    const attachment = message?.parsed.attachments[0];
    expect(attachment?.contentType).toBe('application/epub+zip');
    expect(attachment?.content.length).toBe(first.bytes);
    const received = join(work, 'received.epub');
    await writeFile(received, attachment!.content);
    expect(await lintKindle(received)).toEqual([]);
    if (hasEpubcheck) {
      const check = spawnSync('java', ['-jar', EPUBCHECK, received], { encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
    }
    const files = readZipEntries(attachment!.content as Buffer);
    const text = [...files]
      .filter(([name]) => name.endsWith('.xhtml'))
      .map(([, data]) => data.toString('utf8'))
      .join('\n');
    for (const title of site.titles) expect(text).toContain(title);
    expect(text).not.toContain('An old story');
    expect([...files.keys()].some((name) => /\.(jpe?g|png)$/i.test(name))).toBe(true);

    // Progress draws a live line: totals only grow within the fetch stage, and every stage is seen in order.
    const stages = [...new Set(events.map((e) => e.stage))];
    expect(stages).toEqual(['lock', 'sources', 'fetch', 'select', 'build', 'convert', 'send', 'record', 'done']);
    expect(events.filter((e) => e.stage === 'fetch').at(-1)).toMatchObject({ feedsDone: 5, feedsTotal: 5 });

    // The summary-only article was delivered: its page is not fetched again.
    const pageHits = site.server.hits('/pages/storm.html');
    expect(pageHits).toBeGreaterThan(0);
    const second = await deliver(config(), { store, tempDir: temp });
    expect(site.server.hits('/pages/storm.html')).toBe(pageHits);
    expect(second.outcome).toBe('nothing-new');
    expect(second.volumes).toEqual([]);
    expect(second.feeds.find((f) => f.url.endsWith('/news.xml'))?.status).toBe('not-modified');
    expect(smtp.messages).toHaveLength(1);
    const runs = await store.runs();
    expect(runs.map((r) => r.outcome)).toEqual(['nothing-new', 'delivered']);
    expect(await readdir(temp)).toEqual([]);
  }, 120_000); // epubcheck starts a JVM

  it('builds and reports in a dry run, sending and recording nothing', async () => {
    const store = createMemoryStore();
    const keep = join(work, 'keep');
    const report = await deliver(config({ dryRun: true }), { store, tempDir: temp, keepDir: keep });
    expect(report).toMatchObject({ outcome: 'dry-run', articles: 5, delivered: 0 });
    expect(report.volumes[0]?.accepted).toBe(false);
    expect(await readdir(keep)).toHaveLength(1);
    expect((await stat(report.volumes[0]!.path)).size).toBe(report.volumes[0]?.bytes);
    expect(smtp.dataAttempts()).toBe(0);
    expect(await store.runs()).toEqual([]);
    expect((await store.feedStates()).size).toBe(0);
  });

  it('records only the volumes the server accepted, and sends the rest next time', async () => {
    const store = createMemoryStore();
    const photos = (maxBytes?: number) => ({
      ...config({ feeds: site.photosFile }),
      ...(maxBytes ? { maxBytes } : {}),
    });
    // Measure the one-volume book, then allow about 60% of it per message.
    const keep = join(work, 'measure');
    await deliver({ ...photos(), dryRun: true }, { store, tempDir: temp, keepDir: keep });
    const [whole] = await readdir(keep);
    const { size } = await stat(join(keep, whole!));
    const maxBytes = Math.ceil((size * 0.6 * 312) / 228) + 64 * 1024;
    expect(bookLimitFor(maxBytes)).toBeLessThan(size);

    smtp.faults.data = (attempt) => (attempt === 2 ? { code: 552, message: '5.2.2 mailbox full' } : undefined);
    const first = await deliver(photos(maxBytes), { store, tempDir: temp });
    expect(first.volumes.length).toBeGreaterThanOrEqual(2);
    expect(first.outcome).toBe('failed');
    expect(first.error?.message).toMatch(/mailbox full/);
    expect(first.volumes.map((v) => v.accepted)).toEqual(first.volumes.map((_, i) => i === 0));
    const sentFirst = first.volumes[0]!.articles;
    expect(first.delivered).toBe(sentFirst);
    expect((await store.deliveredIds(site.server.at('/photos.xml'))).size).toBe(sentFirst);

    smtp.faults.data = undefined;
    const second = await deliver(photos(maxBytes), { store, tempDir: temp });
    expect(second.outcome).toBe('delivered');
    expect(second.delivered).toBe(4 - sentFirst);
    expect((await store.deliveredIds(site.server.at('/photos.xml'))).size).toBe(4);
    expect(await readdir(temp)).toEqual([]);
  });

  it('delivers an article that appears in its feed after a run, dated before it', async () => {
    const store = createMemoryStore();
    const item = (title: string, hours: number) => ({
      title,
      link: site.server.at(`/late/${encodeURIComponent(title)}`),
      html: `<p>${title} ${'text '.repeat(120)}</p>`,
      published: new Date(Date.now() - hours * 3_600_000),
    });
    const feed = (items: ReturnType<typeof item>[]) => ({
      headers: { 'content-type': 'application/rss+xml' },
      body: rss({ title: 'Late Post', link: site.server.at('/'), items }),
    });
    site.server.route('/late.xml', feed([item('On time', 1)]));
    const feeds = join(work, 'late.txt');
    await writeFile(feeds, site.server.at('/late.xml'));
    expect(await deliver(config({ feeds }), { store, tempDir: temp })).toMatchObject({ delivered: 1 });
    site.server.route('/late.xml', feed([item('On time', 1), item('Listed late', 3)]));
    const second = await deliver(config({ feeds }), { store, tempDir: temp });
    expect(second).toMatchObject({ outcome: 'delivered', delivered: 1, articles: 1 });
    const text = smtp.messages[1]?.parsed.attachments[0]?.content as Buffer;
    const pages = [...readZipEntries(text).values()].map((b) => b.toString('utf8')).join('');
    expect(pages).toContain('Listed late');
    expect(pages).not.toContain('On time');
  });

  it('stops waiting for the lock when aborted', async () => {
    const store = createMemoryStore();
    const release = await store.lock();
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error('SIGTERM')), 100);
      const started = Date.now();
      await expect(
        deliver(config({ lockWaitMs: 20_000 }), { store, tempDir: temp, signal: controller.signal }),
      ).rejects.toMatchObject({ code: 'ABORTED' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await release();
    }
  });

  it('reports a missing feed list as a failed run', async () => {
    const store = createMemoryStore();
    const report = await deliver(config({ feeds: join(work, 'missing.txt') }), { store, tempDir: temp });
    expect(report).toMatchObject({ outcome: 'failed', error: { code: 'SOURCES_FAILED' } });
    expect((await store.runs())[0]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('missing.txt') });
  });

  it.skipIf(!hasCalibre)(
    'converts to AZW3 with calibre when asked',
    async () => {
      const keep = join(work, 'azw3');
      const report = await deliver(config({ format: 'azw3', dryRun: true, feeds: site.photosFile }), {
        store: createMemoryStore(),
        tempDir: temp,
        keepDir: keep,
      });
      expect(report.outcome).toBe('dry-run');
      const [book] = await readdir(keep);
      expect(book).toMatch(/\.azw3$/);
      const bytes = await readFile(join(keep, book!));
      expect(bytes.toString('latin1', 60, 68)).toBe('BOOKMOBI');
      expect(report.volumes[0]?.bytes).toBe(bytes.length);
      expect(await readdir(temp)).toEqual([]);
    },
    180_000,
  );

  it('sends a notice book when nothing is new only if allowEmpty is set', async () => {
    const store = createMemoryStore();
    const feeds = join(work, 'old.txt');
    await writeFile(feeds, site.server.at('/photos.xml'));
    const quiet = await deliver(config({ feeds, since: '1m' }), { store, tempDir: temp });
    expect(quiet).toMatchObject({ outcome: 'nothing-new', volumes: [] });
    expect(smtp.dataAttempts()).toBe(0);
    const notice = await deliver(config({ feeds, since: '1m', allowEmpty: true }), { store, tempDir: temp });
    expect(notice).toMatchObject({ outcome: 'delivered', articles: 0, delivered: 0 });
    const [message] = await smtp.waitForMessages(1);
    const pages = [...readZipEntries(message!.parsed.attachments[0]!.content as Buffer).values()].join('');
    expect(pages).toContain('Nothing new');
  });

  it('refuses a second run while one holds the lock', async () => {
    const store = createMemoryStore();
    const release = await store.lock();
    try {
      await expect(deliver(config({ lockWaitMs: 0 }), { store, tempDir: temp })).rejects.toMatchObject({
        code: 'LOCKED',
        message: expect.stringContaining('another delivery is in progress'),
      });
    } finally {
      await release();
    }
  });

  it('with SMTP down fails and records nothing; the next run sends everything', async () => {
    const store = createMemoryStore();
    const down = await startSmtpServer();
    const port = down.port;
    await down.close();
    // Two retries at the default back-off would wait 2 s + 4 s; the configured 5 ms is all it waits.
    const failed = await deliver(
      config({
        smtp: { host: '127.0.0.1', port, secure: false, allowPlaintext: true },
        sendRetries: 2,
        sendBackoffMs: 5,
      }),
      { store, tempDir: temp },
    );
    expect(failed.outcome).toBe('failed');
    expect(failed.error?.message).toBeTruthy();
    expect(failed.timings.sendMs).toBeLessThan(2_000);
    expect(failed.delivered).toBe(0);
    expect(failed.volumes[0]?.accepted).toBe(false);
    for (const feed of failed.feeds) expect((await store.deliveredIds(feed.url)).size).toBe(0);
    const states = await store.feedStates();
    expect(states.get(site.server.at('/news.xml'))?.etag).toBeUndefined();

    const next = await deliver(config(), { store, tempDir: temp });
    expect(next).toMatchObject({ outcome: 'delivered', delivered: 5 });
    expect(smtp.messages).toHaveLength(1);
    expect((await store.runs()).map((r) => r.outcome)).toEqual(['delivered', 'failed']);
    expect(await readdir(temp)).toEqual([]);
  });

  it('leaves the state untouched when aborted mid-run', async () => {
    const store = createMemoryStore();
    const controller = new AbortController();
    const run = deliver(config(), {
      store,
      tempDir: temp,
      signal: controller.signal,
      progress: (e) => {
        if (e.stage === 'build') controller.abort(new Error('SIGTERM'));
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'ABORTED' });
    expect(smtp.dataAttempts()).toBe(0);
    expect(await store.runs()).toEqual([]);
    expect((await store.feedStates()).size).toBe(0);
    expect(await readdir(temp)).toEqual([]);
    const release = await store.lock({ waitMs: 0 });
    await release();
  });

  it('writes to the outbox when no SMTP server is configured', async () => {
    const outbox = join(work, 'outbox');
    const report = await deliver(parseConfig({ feeds: site.feedsFile, outbox, timeoutMs: 5_000 }), {
      store: createMemoryStore(),
      tempDir: temp,
    });
    expect(report).toMatchObject({ outcome: 'delivered', transport: 'outbox', delivered: 5 });
    expect(report.outbox?.[0]).toMatch(/\.eml$/);
    expect((await readdir(outbox)).some((f) => f.endsWith('.epub'))).toBe(true);
  });

  it.skipIf(!databaseUrl)('sends once when two runs start together against one PostgreSQL store', async () => {
    const schema = `n2k_deliver_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const open = () => createPostgresStore({ connectionString: databaseUrl!, schema });
    const stores = [open(), open()];
    try {
      const [a, b] = await Promise.all(
        stores.map((store) => deliver(config({ lockWaitMs: 60_000 }), { store, tempDir: temp })),
      );
      expect([a!.outcome, b!.outcome].sort()).toEqual(['delivered', 'nothing-new']);
      expect(smtp.messages).toHaveLength(1);
      expect((await stores[0]!.runs()).map((r) => r.outcome).sort()).toEqual(['delivered', 'nothing-new']);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  });

  it('sends once when two runs start together against one file store', async () => {
    const dir = join(work, 'data');
    const [a, b] = await Promise.all([
      deliver(config({ lockWaitMs: 60_000 }), { store: createFileStore({ dir }), tempDir: temp }),
      deliver(config({ lockWaitMs: 60_000 }), { store: createFileStore({ dir }), tempDir: temp }),
    ]);
    expect([a.outcome, b.outcome].sort()).toEqual(['delivered', 'nothing-new']);
    expect(smtp.messages).toHaveLength(1);
  });
});
