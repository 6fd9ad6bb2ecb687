import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type TestServer, image, paragraphs, startTestServer } from '@news2kindle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintKindle } from './lint.js';
import { epubcheck, hasEpubcheck } from './test-support.js';
import type { Issue } from './types.js';
import { buildVolumes } from './volumes.js';

const withEpubcheck = hasEpubcheck();
let server: TestServer;
let dir: string;
const DATE = new Date('2026-11-29T07:00:00Z');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n2k-volumes-'));
  server = await startTestServer();
  for (let i = 0; i < 8; i++) server.route(`/v${i}.jpg`, { body: await image('jpeg', 900, 700, 20 + i) });
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function issue(count = 8): Issue {
  const articles = Array.from({ length: count }, (_, i) => ({
    id: `story-${i}`,
    title: `Story ${i}`,
    url: `${server.url}/story/${i}`,
    html: `${paragraphs(4, 60, i + 1)
      .map((p) => `<p>${p}</p>`)
      .join('')}<img src="/v${i}.jpg" alt="Picture ${i}">`,
  }));
  return {
    title: 'News',
    date: DATE,
    language: 'en',
    sections: [
      { title: 'World', articles: articles.slice(0, 5) },
      { title: 'Sport', articles: articles.slice(5) },
    ],
  };
}

describe('buildVolumes', () => {
  let single = 0;

  it('returns one book when the issue fits', async () => {
    const [only, ...rest] = await buildVolumes(issue(), {
      outputDir: join(dir, 'one'),
      maxBytes: 50 * 1024 * 1024,
      device: 'legacy',
    });
    expect(rest).toEqual([]);
    expect(basename(only!.path)).toBe('news-2026-11-29.epub');
    expect(only!.title).toBe('News — 2026-11-29');
    single = only!.bytes;
  });

  it('cuts a big issue into complete volumes under the limit, never cutting an article', async () => {
    const maxBytes = Math.ceil(single / 2.5);
    const volumes = await buildVolumes(issue(), { outputDir: join(dir, 'many'), maxBytes, device: 'legacy' });
    expect(volumes.length).toBeGreaterThanOrEqual(3);
    const total = volumes.length;
    volumes.forEach((v, i) => {
      expect(v.bytes).toBeLessThanOrEqual(maxBytes);
      expect(v.title).toBe(`News — 2026-11-29 (${i + 1}/${total})`);
      expect(basename(v.path)).toBe(`news-2026-11-29-${i + 1}of${total}.epub`);
      expect(v.images).toBe(v.articles);
    });
    expect(volumes.flatMap((v) => v.articleIds)).toEqual(Array.from({ length: 8 }, (_, i) => `story-${i}`));
    for (const v of volumes) expect(await lintKindle(v.path), v.path).toEqual([]);
    if (withEpubcheck) {
      for (const report of await epubcheck(
        volumes.slice(0, 2).map((v) => v.path),
        2,
      )) {
        expect(report.messages, report.file).toEqual([]);
      }
    }
  }, 120_000);

  it('rebuilds an article without images when it alone is too big, and names the article that cannot fit', async () => {
    const one = issue(1);
    const [withImage] = await buildVolumes(one, {
      outputDir: join(dir, 'measure'),
      maxBytes: 50 * 1024 * 1024,
      device: 'legacy',
    });
    const [withoutImage] = await buildVolumes(one, {
      outputDir: join(dir, 'measure2'),
      maxBytes: 50 * 1024 * 1024,
      device: 'legacy',
      images: false,
    });
    const maxBytes = Math.floor((withImage!.bytes + withoutImage!.bytes) / 2);
    const [small, ...more] = await buildVolumes(one, {
      outputDir: join(dir, 'noimg'),
      maxBytes,
      device: 'legacy',
      fileName: () => 'x.epub',
    });
    expect(more).toEqual([]);
    expect(small!.images).toBe(0);
    expect(small!.bytes).toBeLessThanOrEqual(maxBytes);

    const huge = issue(1);
    huge.sections[0]!.articles[0]!.html = `<p>${randomBytes(600_000).toString('base64')}</p>`;
    await expect(
      buildVolumes(huge, { outputDir: join(dir, 'huge'), maxBytes: 200_000, device: 'legacy' }),
    ).rejects.toMatchObject({
      code: 'ARTICLE_TOO_LARGE',
      articleId: 'story-0',
      maxBytes: 200_000,
    });
    expect(existsSync(join(dir, 'huge', 'news-2026-11-29.epub'))).toBe(false);
  }, 60_000);
});
