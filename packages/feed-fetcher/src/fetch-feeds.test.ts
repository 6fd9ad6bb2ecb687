import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { articlePage, atom, jsonFeed, paragraphs, rss, startTestServer, type TestServer } from '@news2kindle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_USER_AGENT, type FeedResult, fetchFeeds, type ProgressEvent } from './index.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const items = (prefix: string, n: number, base = '') =>
  Array.from({ length: n }, (_, i) => ({
    title: `${prefix} ${i + 1}`,
    link: `${base}/${prefix}/${i + 1}`,
    html: `Summary of ${prefix} ${i + 1}…`,
    published: new Date(Date.UTC(2026, 10, 28, i)),
  }));
const rssBody = (name: string, n = 3) => rss({ title: name, link: server.url, items: items(name, n, server.url) });
const fast = { retries: 0, fullText: 'never' as const, timeoutMs: 2000 };
const one = async (path: string, options = {}): Promise<FeedResult> =>
  (await fetchFeeds([{ url: server.at(path) }], { ...fast, ...options }))[0]!;

describe('fetchFeeds over HTTP', () => {
  it('reads RSS, Atom and JSON feeds, reports progress and sends a clear User-Agent', async () => {
    server.route('/f/rss', { body: rssBody('rss'), headers: { 'content-type': 'application/rss+xml' } });
    server.route('/f/atom', { body: atom({ title: 'atom', link: server.url, items: items('atom', 2) }) });
    server.route('/f/json', { body: jsonFeed({ title: 'json', link: server.url, items: items('json', 4) }) });
    const events: ProgressEvent[] = [];
    const results = await fetchFeeds(
      ['/f/rss', '/f/atom', '/f/json'].map((p) => ({ url: server.at(p) })),
      { ...fast, onProgress: (e) => events.push(e) },
    );
    expect(results.map((r) => [r.ok, r.feed?.format, r.articles.length])).toEqual([
      [true, 'rss2.0', 3],
      [true, 'atom1.0', 2],
      [true, 'json1.1', 4],
    ]);
    expect(results[0]?.articles[0]?.title).toBe('rss 3');
    expect(events.filter((e) => e.type === 'feed-done')).toHaveLength(3);
    const request = server.requests.find((r) => r.path === '/f/rss');
    expect(request?.headers['user-agent']).toBe(DEFAULT_USER_AGENT);
  });

  it('returns validators and treats 304 as not modified', async () => {
    server.route('/c', { body: rssBody('c'), etag: '"v1"', lastModified: 'Sat, 28 Nov 2026 10:00:00 GMT' });
    const first = await one('/c');
    expect([first.ok, first.etag, first.lastModified]).toEqual([true, '"v1"', 'Sat, 28 Nov 2026 10:00:00 GMT']);
    const second = await one('/c', { conditional: () => ({ etag: first.etag }) });
    expect([second.ok, second.notModified, second.articles.length, second.error]).toEqual([true, true, 0, undefined]);
    expect(server.requests.at(-1)?.headers['if-none-match']).toBe('"v1"');
  });

  it('times out waiting for headers, and on a slow body', async () => {
    server.route('/slow-headers', { body: rssBody('s'), latencyMs: 3000 });
    server.route('/slow-body', { body: rssBody('b', 20), chunkBytes: 64, chunkDelayMs: 50 });
    const [headers, body] = await fetchFeeds([{ url: server.at('/slow-headers') }, { url: server.at('/slow-body') }], {
      ...fast,
      timeoutMs: 200,
      bodyTimeoutMs: 300,
    });
    expect(headers?.error?.code).toBe('HTTP_TIMEOUT');
    expect(headers?.error?.message).toMatch(/no response within 200 ms/);
    expect(body?.error?.code).toBe('HTTP_TIMEOUT');
    expect(body?.error?.message).toMatch(/body did not arrive/);
  });

  it('stops oversized bodies, declared or streamed, and gzip bombs', async () => {
    server.route('/huge', { hugeBytes: 20_000_000, omitLength: true });
    server.route('/huge-declared', { hugeBytes: 20_000_000 });
    server.route('/bomb', { body: Buffer.alloc(30_000_000, 0x20), gzip: true });
    server.route('/gz', { body: rssBody('gz'), gzip: true });
    const results = await fetchFeeds(
      ['/huge', '/huge-declared', '/bomb', '/gz'].map((p) => ({ url: server.at(p) })),
      { ...fast, maxBytes: 1_000_000 },
    );
    expect(results.map((r) => r.error?.code)).toEqual([
      'HTTP_TOO_LARGE',
      'HTTP_TOO_LARGE',
      'HTTP_TOO_LARGE',
      undefined,
    ]);
    expect(results[3]?.articles).toHaveLength(3);
  });

  it('follows up to 5 redirects and refuses loops', async () => {
    for (let i = 1; i <= 5; i++)
      server.route(`/r${i}`, { redirectTo: i === 5 ? '/r-final' : `/r${i + 1}`, status: 301 });
    server.route('/r-final', { body: rssBody('final') });
    server.route('/loop-a', { redirectTo: '/loop-b' });
    server.route('/loop-b', { redirectTo: '/loop-a' });
    const [chain, loop] = await fetchFeeds([{ url: server.at('/r1') }, { url: server.at('/loop-a') }], fast);
    expect(chain?.ok).toBe(true);
    expect(chain?.finalUrl).toBe(server.at('/r-final'));
    expect(loop?.error?.code).toBe('HTTP_REDIRECTS');
    expect(server.hits('/loop-a') + server.hits('/loop-b')).toBe(6);
  });

  it('retries 500 and 429 (honouring Retry-After) but never 404', async () => {
    server.route('/flaky', [{ status: 500 }, { status: 503 }, { body: rssBody('flaky') }]);
    server.route('/busy', [{ status: 429, headers: { 'retry-after': '1' } }, { body: rssBody('busy') }]);
    server.route('/gone', { status: 404 });
    server.route('/wait-long', { status: 429, headers: { 'retry-after': '3600' } });
    const retries: ProgressEvent[] = [];
    const started = Date.now();
    const [flaky, busy, gone, long] = await fetchFeeds(
      ['/flaky', '/busy', '/gone', '/wait-long'].map((p) => ({ url: server.at(p) })),
      { ...fast, retries: 3, retryDelayMs: 20, onProgress: (e) => e.type === 'retry' && retries.push(e) },
    );
    expect([flaky?.ok, busy?.ok, gone?.ok, long?.ok]).toEqual([true, true, false, false]);
    expect(server.hits('/flaky')).toBe(3);
    expect(server.hits('/busy')).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(retries.some((e) => e.type === 'retry' && e.delayMs === 1000)).toBe(true);
    expect([gone?.error?.code, gone?.error?.status, server.hits('/gone')]).toEqual(['HTTP_STATUS', 404, 1]);
    expect([long?.error?.status, server.hits('/wait-long')]).toEqual([429, 1]);
  });

  it('reports connection resets as network errors after retrying', async () => {
    server.route('/reset', { reset: 'before-headers' });
    server.route('/reset-mid', { body: rssBody('mid', 50), reset: 'mid-body' });
    server.route('/reset-once', [{ reset: 'before-headers' }, { body: rssBody('once') }]);
    const [reset, mid, once] = await fetchFeeds(
      ['/reset', '/reset-mid', '/reset-once'].map((p) => ({ url: server.at(p) })),
      { ...fast, retries: 1, retryDelayMs: 10 },
    );
    expect(reset?.error?.code).toBe('HTTP_NETWORK');
    // Two attempts (retries: 1); an attempt that went out on a reused keep-alive socket is sent once
    // more on a fresh one by leanFetch (a reset there looks like a server that closed an idle socket).
    expect(server.hits('/reset')).toBeGreaterThanOrEqual(2);
    expect(server.hits('/reset')).toBeLessThanOrEqual(4);
    expect(mid?.ok).toBe(false);
    expect(once?.ok).toBe(true);
  });

  it('detects the format from the content whatever the Content-Type says', async () => {
    server.route('/as-html', { body: rssBody('typed'), headers: { 'content-type': 'text/html' } });
    server.route('/page-as-rss', {
      body: '<!DOCTYPE html><html><body>hi</body></html>',
      headers: { 'content-type': 'application/rss+xml' },
    });
    const [asHtml, page] = await fetchFeeds([{ url: server.at('/as-html') }, { url: server.at('/page-as-rss') }], fast);
    expect(asHtml?.articles).toHaveLength(3);
    expect(page?.error?.code).toBe('FEED_NOT_RECOGNIZED');
  });

  it('keeps within the global and per-host limits, and one failure aborts nothing', async () => {
    const [a, b, c] = await Promise.all([startTestServer(), startTestServer(), startTestServer()]);
    try {
      for (const s of [a, b, c]) {
        for (let i = 0; i < 8; i++)
          s.route(`/many/${i}`, { body: rss({ title: 't', link: s.url, items: [] }), latencyMs: 40 });
      }
      const sources = Array.from({ length: 8 }, (_, i) => [
        { url: a.at(`/many/${i}`) },
        { url: b.at(`/many/${i}`) },
      ]).flat();
      sources.push({ url: 'http://127.0.0.1:1/refused' });
      const results = await fetchFeeds(sources, { ...fast, concurrency: 10, perHost: 2 });
      expect(results.filter((r) => r.ok)).toHaveLength(16);
      expect(results.at(-1)?.error?.code).toBe('HTTP_NETWORK');
      expect([a.maxInFlight(), b.maxInFlight()]).toEqual([2, 2]);
      const global = await fetchFeeds(
        Array.from({ length: 8 }, (_, i) => ({ url: c.at(`/many/${i}`) })),
        { ...fast, concurrency: 3, perHost: 10 },
      );
      expect(global.every((r) => r.ok)).toBe(true);
      expect(c.maxInFlight()).toBe(3);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('follows the feed a web page advertises', async () => {
    server.route('/site', {
      body: '<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/site/feed.xml"></head><body>Welcome</body></html>',
      headers: { 'content-type': 'text/html; charset=utf-8' },
    });
    server.route('/site/feed.xml', { body: rssBody('site'), etag: '"s1"' });
    const result = await one('/site');
    expect([result.ok, result.finalUrl, result.articles.length, result.etag]).toEqual([
      true,
      server.at('/site/feed.xml'),
      3,
      '"s1"',
    ]);
    expect(result.feed?.warnings.join()).toMatch(/is a web page/);
  });

  it('sends URL credentials as Basic auth and never shows them', async () => {
    server.route('/private', (req) =>
      req.headers.authorization === `Basic ${Buffer.from('me:s3cret').toString('base64')}`
        ? { body: rssBody('p') }
        : { status: 401 },
    );
    const url = server.at('/private').replace('http://', 'http://me:s3cret@');
    const [ok, denied] = await fetchFeeds([{ url }, { url: url.replace('s3cret', 'wrong') }], {
      ...fast,
      onProgress: () => {
        throw new Error('UI bug');
      },
    });
    expect(ok?.ok).toBe(true);
    expect(denied?.error?.status).toBe(401);
    expect(denied?.error?.message).not.toContain('wrong');
    expect(denied?.error?.url).not.toContain('wrong');
  });

  it('aborts with the caller signal', async () => {
    server.route('/stall', { body: rssBody('stall'), latencyMs: 5000 });
    const controller = new AbortController();
    const pending = fetchFeeds([{ url: server.at('/stall') }], {
      ...fast,
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    const [result] = await pending;
    expect(result?.error?.code).toBe('ABORTED');
  });

  it('reads file:// sources and reports missing files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ff-'));
    writeFileSync(join(dir, 'feed.xml'), rssBody('file'));
    const [file, missing] = await fetchFeeds(
      [
        { url: pathToFileURL(join(dir, 'feed.xml')).toString() },
        { url: pathToFileURL(join(dir, 'nope.xml')).toString() },
      ],
      fast,
    );
    expect(file?.articles).toHaveLength(3);
    expect(missing?.error?.code).toBe('FILE_READ');
  });
});

describe('fetchFeeds full text', () => {
  it('selects first, then fetches pages of summary-only items only, fixing lazy images', async () => {
    const feedItems = items('story', 6, server.url);
    feedItems[5]!.html = `<p>${paragraphs(6).join('</p><p>')}</p>`;
    server.route('/ft/feed', { body: rss({ title: 'FT', link: server.url, items: feedItems }) });
    for (let i = 1; i <= 6; i++) {
      server.route(`/story/${i}`, {
        body: articlePage({
          title: `Story ${i}`,
          paragraphs: paragraphs(5, 60, i),
          images: ['/img/a.jpg'],
          lazyImages: true,
        }),
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    }
    server.route('/story/3', { status: 404 });
    const [result] = await fetchFeeds([{ url: server.at('/ft/feed') }], { ...fast, fullText: 'auto', maxPerFeed: 4 });
    const byTitle = Object.fromEntries(result!.articles.map((a) => [a.title, a]));
    expect(Object.keys(byTitle)).toEqual(['story 6', 'story 5', 'story 4', 'story 3']);
    expect([result?.itemCount, result?.feed?.articles.length]).toEqual([6, 4]);
    expect(byTitle['story 6']?.fullText).toBe('feed');
    expect(byTitle['story 5']?.fullText).toBe('extracted');
    expect(byTitle['story 5']?.html).toContain(paragraphs(5, 60, 5)[0]!.slice(0, 60));
    expect(byTitle['story 5']?.html).toContain(`src="${server.url}/img/a.jpg"`);
    expect(byTitle['story 5']?.html).not.toContain('Most read');
    expect([byTitle['story 3']?.fullText, byTitle['story 3']?.html]).toEqual(['failed', 'Summary of story 3…']);
    expect(byTitle['story 3']?.fullTextError).toMatch(/404/);
    expect([server.hits('/story/1'), server.hits('/story/2'), server.hits('/story/6')]).toEqual([0, 0, 0]);
  });

  it('gives up on a page that is too slow or too big to extract, keeping its summary, and extracts the rest', async () => {
    const hostile = (count: number) =>
      `<html><body><article>${Array.from({ length: count }, (_, i) => `<p>paragraph ${i} with some words, and more words</p>`).join('')}</article></body></html>`;
    server.route('/four/1', { body: hostile(60_000), headers: { 'content-type': 'text/html' } });
    server.route('/four/2', { body: hostile(100_000), headers: { 'content-type': 'text/html' } });
    server.route('/four/3', { body: articlePage({ title: 'Fine', paragraphs: paragraphs(5, 60, 4) }) });
    const run = async (feed: string, pages: number[], extraction: { timeoutMs: number; maxHeapMb: number }) => {
      const list = items('four', 3, server.url).filter((_, i) => pages.includes(i + 1));
      server.route(feed, { body: rss({ title: 'FT4', link: server.url, items: list }) });
      const [result] = await fetchFeeds([{ url: server.at(feed) }], {
        ...fast,
        fullText: 'always',
        concurrency: 1,
        extraction,
      });
      return Object.fromEntries(result!.articles.map((a) => [a.title, a]));
    };
    // Each limit on its own, the other far away, so which one trips does not depend on the
    // machine's speed: 60,000 paragraphs take ~0.9 s on one core here, 3× the time limit.
    const slow = await run('/ft4/slow', [1, 3], { timeoutMs: 300, maxHeapMb: 512 });
    expect([slow['four 1']?.fullText, slow['four 1']?.html]).toEqual(['failed', 'Summary of four 1…']);
    expect(slow['four 1']?.fullTextError).toMatch(/longer than 300 ms/);
    expect(slow['four 3']?.fullText).toBe('extracted');
    const big = await run('/ft4/big', [2, 3], { timeoutMs: 60_000, maxHeapMb: 48 });
    expect([big['four 2']?.fullText, big['four 2']?.html]).toEqual(['failed', 'Summary of four 2…']);
    expect(big['four 2']?.fullTextError).toMatch(/more than 48 MB/);
    expect(big['four 3']?.fullText).toBe('extracted');
  });

  it('extracts on the calling thread with extraction: false', async () => {
    server.route('/ft5/feed', { body: rss({ title: 'FT5', link: server.url, items: items('five', 1, server.url) }) });
    server.route('/five/1', { body: articlePage({ title: 'Here', paragraphs: paragraphs(5, 60, 5) }) });
    const [result] = await fetchFeeds([{ url: server.at('/ft5/feed') }], {
      ...fast,
      fullText: 'always',
      extraction: false,
    });
    expect(result?.articles[0]?.fullText).toBe('extracted');
    expect(result?.articles[0]?.html).toContain(paragraphs(5, 60, 5)[0]!.slice(0, 60));
  });

  it('honours full=never and full=always per source', async () => {
    server.route('/ft2/feed', { body: rss({ title: 'FT2', link: server.url, items: items('two', 2, server.url) }) });
    for (let i = 1; i <= 2; i++)
      server.route(`/two/${i}`, { body: articlePage({ title: `T${i}`, paragraphs: paragraphs(4, 60, i) }) });
    const [never, always] = await fetchFeeds(
      [
        { url: server.at('/ft2/feed'), fullText: 'never' },
        { url: server.at('/ft2/feed'), fullText: 'always', include: ['two 2'] },
      ],
      { ...fast, fullText: 'auto' },
    );
    expect(never?.articles.map((a) => a.fullText)).toEqual(['feed', 'feed']);
    expect(always?.articles.map((a) => [a.title, a.fullText])).toEqual([['two 2', 'extracted']]);
    expect(server.hits('/two/1')).toBe(0);
  });

  it('skips items the caller already has after selection, without fetching their pages', async () => {
    server.route('/ft3/feed', { body: rss({ title: 'FT3', link: server.url, items: items('three', 4, server.url) }) });
    for (let i = 1; i <= 4; i++)
      server.route(`/three/${i}`, { body: articlePage({ title: `T${i}`, paragraphs: paragraphs(4, 60, i) }) });
    const seen: string[] = [];
    const [result] = await fetchFeeds([{ url: server.at('/ft3/feed'), title: 'Three' }], {
      ...fast,
      fullText: 'auto',
      maxPerFeed: 3,
      skip: (article, source) => {
        seen.push(`${source.title}: ${article.title}`);
        return article.title === 'three 4' || article.title === 'three 2';
      },
    });
    // Selection (the 3 newest) comes first: the oldest item is never offered to skip.
    expect(seen.sort()).toEqual(['Three: three 2', 'Three: three 3', 'Three: three 4']);
    expect(result?.articles.map((a) => [a.title, a.fullText])).toEqual([['three 3', 'extracted']]);
    expect([result?.skipped, result?.itemCount, result?.feed?.articles.length]).toEqual([2, 4, 1]);
    expect([1, 2, 3, 4].map((i) => server.hits(`/three/${i}`))).toEqual([0, 0, 1, 0]);
  });
});
