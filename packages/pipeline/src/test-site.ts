// Test-only helpers (not exported by any entry): a loopback news site and a tiny ZIP reader.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { type TestServer, image, paragraphs, rss, startTestServer } from '@news2kindle/testkit';
import iconv from 'iconv-lite';

export interface TestSite {
  server: TestServer;
  dir: string;
  feedsFile: string;
  /** A feed of four articles, each with a large photo: for books that need several volumes. */
  photosFile: string;
  /** Titles of every article the site publishes that should reach the book. */
  titles: string[];
  close(): Promise<void>;
}

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);

/**
 * Feeds of every kind a delivery meets: full-content RSS with an image (and an ETag), a
 * summary-only feed whose pages are fetched, a GBK-encoded Chinese feed, a broken feed and a slow one.
 */
export async function startTestSite(): Promise<TestSite> {
  const server = await startTestServer();
  const body = (seed: number, img?: string) =>
    paragraphs(3, 60, seed)
      .map((p) => `<p>${p}</p>`)
      .join('') + (img ? `<p><img src="${img}" alt="photo"></p>` : '');
  server.route('/img/1.jpg', { body: await image('jpeg', 320, 200, 1), headers: { 'content-type': 'image/jpeg' } });
  server.route('/news.xml', {
    etag: '"news-v1"',
    headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
    body: rss({
      title: 'Harbour News',
      link: server.at('/'),
      items: [
        {
          title: 'Ferry timetable changes',
          link: server.at('/n/1'),
          html: body(1, server.at('/img/1.jpg')),
          published: hoursAgo(1),
        },
        { title: 'Council approves new bridge', link: server.at('/n/2'), html: body(2), published: hoursAgo(3) },
        { title: 'An old story', link: server.at('/n/old'), html: body(3), published: hoursAgo(24 * 5) },
      ],
    }),
  });
  server.route('/summary.xml', {
    headers: { 'content-type': 'application/rss+xml' },
    body: rss({
      title: 'Summary Times',
      link: server.at('/'),
      items: [
        {
          title: 'Storm warning for the coast',
          link: server.at('/pages/storm.html'),
          html: 'Short teaser.',
          published: hoursAgo(2),
        },
      ],
    }),
  });
  const { articlePage } = await import('@news2kindle/testkit');
  server.route('/pages/storm.html', {
    headers: { 'content-type': 'text/html; charset=utf-8' },
    body: articlePage({ title: 'Storm warning for the coast', paragraphs: paragraphs(6, 70, 9) }),
  });
  const gbk = rss(
    {
      title: '山海晚报',
      link: server.at('/'),
      language: 'zh-CN',
      items: [
        {
          title: '老街灯会周末开幕',
          link: server.at('/zh/1'),
          html: `<p>${'三百盏花灯点亮河岸，市民沿河观灯。'.repeat(30)}</p>`,
          published: hoursAgo(2),
        },
      ],
    },
    'GBK',
  );
  server.route('/gbk.xml', { headers: { 'content-type': 'application/rss+xml' }, body: iconv.encode(gbk, 'gbk') });
  server.route('/broken.xml', {
    headers: { 'content-type': 'application/rss+xml' },
    body: '<rss version="2.0"><channel><title>Bro',
  });
  server.route('/slow.xml', {
    latencyMs: 300,
    headers: { 'content-type': 'application/rss+xml' },
    body: rss({
      title: 'Slow Weekly',
      link: server.at('/'),
      items: [{ title: 'Patience rewarded', link: server.at('/s/1'), html: body(5), published: hoursAgo(4) }],
    }),
  });
  const photos = [];
  for (let i = 1; i <= 4; i++) {
    server.route(`/photo/${i}.jpg`, {
      body: await image('jpeg', 900, 700, 10 + i),
      headers: { 'content-type': 'image/jpeg' },
    });
    photos.push({
      title: `Photo story ${i}`,
      link: server.at(`/p/${i}`),
      html: body(20 + i, server.at(`/photo/${i}.jpg`)),
      published: hoursAgo(i),
    });
  }
  server.route('/photos.xml', {
    headers: { 'content-type': 'application/rss+xml' },
    body: rss({ title: 'Photo Daily', link: server.at('/'), items: photos }),
  });
  const dir = await mkdtemp(join(tmpdir(), 'n2k-site-'));
  const photosFile = join(dir, 'photos.txt');
  await writeFile(photosFile, server.at('/photos.xml'));
  const feedsFile = join(dir, 'feeds.txt');
  await writeFile(
    feedsFile,
    ['# test feeds', '/news.xml', '/summary.xml', '/gbk.xml', '/broken.xml', '/slow.xml']
      .map((l) => (l.startsWith('/') ? server.at(l) : l))
      .join('\n'),
  );
  return {
    server,
    dir,
    feedsFile,
    photosFile,
    titles: [
      'Ferry timetable changes',
      'Council approves new bridge',
      'Storm warning for the coast',
      '老街灯会周末开幕',
      'Patience rewarded',
    ],
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Entries of a ZIP file (stored or deflated), enough to look inside an EPUB. */
export function readZipEntries(zip: Buffer): Map<string, Buffer> {
  const entries = new Map<string, Buffer>();
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  if (end < 0) throw new Error('not a zip file');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < count; i++) {
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    const data = zip.subarray(start, start + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    at += 46 + nameLength + extra + comment;
  }
  return entries;
}

/** PostgreSQL for tests: optional on a user's machine, required in CI (the testkit rule for tools). */
export function testDatabaseUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL;
  if (url) return url;
  if (process.env.CI === 'true') throw new Error('TEST_DATABASE_URL is unset; it is required when CI=true');
  console.warn('[pipeline] TEST_DATABASE_URL is unset: PostgreSQL tests are skipped');
  return undefined;
}
