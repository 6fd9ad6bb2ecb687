import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestServer, corpusDir, image, startTestServer } from '@news2kindle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEpub } from './build.js';
import { lintKindle } from './lint.js';
import { epubcheck, hasEpubcheck } from './test-support.js';
import type { BuildResult, Issue, IssueArticle } from './types.js';

// Every page of the corpus goes into two books: Readability's output (the normal case) and the raw
// page (hostile input). Image URLs are answered by a loopback server in six formats.
const corpus = corpusDir();
const withEpubcheck = hasEpubcheck();
const FORMATS = ['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff'] as const;

let server: TestServer;
let dir: string;
const books: Record<'expected' | 'source', BuildResult | undefined> = { expected: undefined, source: undefined };

async function pageIssue(file: 'expected.html' | 'source.html'): Promise<Issue> {
  const names = (await readdir(join(corpus!, 'pages'))).sort();
  const articles: IssueArticle[] = [];
  for (const name of names) {
    const html = await readFile(join(corpus!, 'pages', name, file), 'utf8');
    const meta = JSON.parse(await readFile(join(corpus!, 'pages', name, 'expected-metadata.json'), 'utf8')) as {
      title?: string;
      byline?: string;
      dir?: string;
      lang?: string;
      excerpt?: string;
    };
    articles.push({
      id: name,
      title: meta.title || name,
      url: 'http://fakehost/test/page.html',
      html,
      ...(meta.byline ? { author: meta.byline } : {}),
      ...(meta.dir === 'rtl' ? { dir: 'rtl' as const } : {}),
      ...(meta.lang && /^[a-z]{2}(-[A-Za-z]+)?$/.test(meta.lang) ? { language: meta.lang } : {}),
      ...(meta.excerpt ? { summary: meta.excerpt } : {}),
    });
  }
  const sections = [];
  for (let i = 0; i < articles.length; i += 20)
    sections.push({ title: `Pages ${i + 1}–${i + 20}`, articles: articles.slice(i, i + 20) });
  return { title: 'Corpus', date: new Date('2026-11-29T06:00:00Z'), language: 'en', sections };
}

const imageFetch: typeof fetch = async (input, init) => {
  const url = String(input instanceof Request ? input.url : input);
  const n = createHash('sha1').update(url).digest()[0]! % FORMATS.length;
  return fetch(server.at(`/img/${n}`), init);
};

describe.skipIf(!corpus)('books from every corpus page', () => {
  beforeAll(async () => {
    server = await startTestServer();
    for (const [n, format] of FORMATS.entries())
      server.route(`/img/${n}`, {
        body: await image(format, 320, 200, n + 1),
        headers: { 'content-type': 'image/jpeg' },
      });
    dir = await mkdtemp(join(tmpdir(), 'n2k-corpus-'));
    const [expected, source] = await Promise.all([
      buildEpub(await pageIssue('expected.html'), {
        output: join(dir, 'expected.epub'),
        fetch: imageFetch,
        now: new Date('2026-11-29T06:00:00Z'),
      }),
      buildEpub(await pageIssue('source.html'), {
        output: join(dir, 'source.epub'),
        fetch: imageFetch,
        device: 'colorsoft',
      }),
    ]);
    books.expected = expected;
    books.source = source;
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('includes every page and its images', () => {
    expect(books.expected!.articles).toBe(106);
    expect(books.source!.articles).toBe(106);
    expect(books.expected!.images).toBeGreaterThan(200);
  });

  it('passes lintKindle with no findings', async () => {
    expect(await lintKindle(books.expected!.path)).toEqual([]);
    expect(await lintKindle(books.source!.path)).toEqual([]);
  });

  it.skipIf(!withEpubcheck)(
    'passes epubcheck with 0 errors and 0 warnings',
    async () => {
      const reports = await epubcheck([books.expected!.path, books.source!.path]);
      for (const report of reports) {
        expect(report.messages, report.file).toEqual([]);
        expect(report.errors + report.warnings).toBe(0);
      }
    },
    180_000,
  );
});
