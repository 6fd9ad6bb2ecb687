import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintKindle } from '@news2kindle/epub-builder';
import { type TestSmtpServer, startSmtpServer } from '@news2kindle/testkit';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConfigInput, parseConfig } from './config.js';
import { deliver } from './deliver.js';
import { createFileStore } from './file-store.js';
import { createMemoryStore } from './memory-store.js';
import type { ProgressEvent } from './report.js';
import { type TestSite, readZipEntries, startTestSite } from './test-site.js';

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
    const attachment = message?.parsed.attachments[0];
    expect(attachment?.contentType).toBe('application/epub+zip');
    expect(attachment?.content.length).toBe(first.bytes);
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

    const second = await deliver(config(), { store, tempDir: temp });
    expect(second.outcome).toBe('nothing-new');
    expect(second.volumes).toEqual([]);
    expect(second.feeds.find((f) => f.url.endsWith('/news.xml'))?.status).toBe('not-modified');
    expect(smtp.messages).toHaveLength(1);
    const runs = await store.runs();
    expect(runs.map((r) => r.outcome)).toEqual(['nothing-new', 'delivered']);
    expect(await readdir(temp)).toEqual([]);
  });

  it('writes an EPUB that passes the Kindle lint', async () => {
    const keep = join(work, 'keep');
    const report = await deliver(config({ dryRun: true }), {
      store: createMemoryStore(),
      tempDir: temp,
      keepDir: keep,
    });
    expect(report.outcome).toBe('dry-run');
    const [book] = await readdir(keep);
    expect(await lintKindle(join(keep, book!))).toEqual([]);
  });

  it('with SMTP down fails and records nothing; the next run sends everything', async () => {
    const store = createMemoryStore();
    const down = await startSmtpServer();
    const port = down.port;
    await down.close();
    const failed = await deliver(config({ smtp: { host: '127.0.0.1', port, secure: false, allowPlaintext: true } }), {
      store,
      tempDir: temp,
    });
    expect(failed.outcome).toBe('failed');
    expect(failed.error?.message).toBeTruthy();
    expect(failed.delivered).toBe(0);
    expect(failed.volumes[0]?.accepted).toBe(false);
    for (const feed of failed.feeds) expect((await store.deliveredIds(feed.url)).size).toBe(0);
    const states = await store.feedStates();
    expect(states.get(site.server.at('/news.xml'))?.etag).toBeUndefined();

    const next = await deliver(config(), { store, tempDir: temp });
    expect(next).toMatchObject({ outcome: 'delivered', delivered: 5 });
    expect(smtp.messages).toHaveLength(1);
    expect((await store.runs()).map((r) => r.outcome)).toEqual(['delivered', 'failed']);
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

  it('sends once when two runs start together against one file store', async () => {
    const dir = join(work, 'data');
    const [a, b] = await Promise.all([
      deliver(config(), { store: createFileStore({ dir }), tempDir: temp }),
      deliver(config(), { store: createFileStore({ dir }), tempDir: temp }),
    ]);
    expect([a.outcome, b.outcome].sort()).toEqual(['delivered', 'nothing-new']);
    expect(smtp.messages).toHaveLength(1);
  });
});
