import { paragraphs } from '@news2kindle/testkit';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { ExtractPool } from './extract-pool.js';
import { extractFullText, FeedError } from './index.js';

const article = (title: string, text = paragraphs(6, 70).join('</p><p>')) =>
  `<!DOCTYPE html><html><head><title>${title}</title></head><body><article><h1>${title}</h1><p>${text}</p></article></body></html>`;
// A page Readability needs seconds and hundreds of MB for: tens of thousands of paragraphs.
const huge = (count: number) =>
  `<html><body><article>${Array.from({ length: count }, (_, i) => `<p>paragraph ${i} with some words in it, and more words</p>`).join('')}</article></body></html>`;
const bytes = (html: string) => new TextEncoder().encode(html);

let pool: ExtractPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

async function failure(promise: Promise<unknown>): Promise<FeedError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FeedError);
  return error as FeedError;
}

describe('ExtractPool', () => {
  it('decodes the page with its charset and extracts the article in the worker', async () => {
    pool = new ExtractPool();
    const chinese = '新闻报道'.repeat(200);
    const gbk = iconv.encode(article('标题', chinese), 'gbk');
    const result = await pool.extract(gbk, 'https://news.example/zh', 'text/html; charset=gbk');
    expect(result.html).toContain('新闻报道');
    expect(result.title).toBe('标题');
  });

  it('gives the same article as extracting on the calling thread (the worker loads linkedom/worker)', async () => {
    pool = new ExtractPool();
    const page = `<!DOCTYPE html><html><head><title>Same</title><base href="https://cdn.example/a/"></head><body>
      <nav><a href="/">Home</a></nav><article><h1>Same</h1><p>${paragraphs(4, 60).join('</p><p>')}</p>
      <figure><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="lazy.jpg" alt="lazy"></figure>
      <p>Caf&eacute; &amp; <a href="x.html">more</a></p><img src="spacer.gif" alt="">
      <noscript><img src="real.jpg" alt="real"></noscript></article></body></html>`;
    const inWorker = await pool.extract(bytes(page), 'https://news.example/same', 'text/html; charset=utf-8');
    expect(inWorker).toEqual(extractFullText(page, 'https://news.example/same'));
    expect(inWorker.html).toContain('src="https://cdn.example/a/lazy.jpg"');
    expect(inWorker.html).toContain('src="https://cdn.example/a/real.jpg"');
    expect(inWorker.html).not.toContain('spacer.gif');
    expect(inWorker.html).toContain('Café &amp; <a href="https://cdn.example/a/x.html">more</a>');
  });

  it('relays extraction failures as FeedError with the page URL', async () => {
    pool = new ExtractPool();
    const error = await failure(pool.extract(bytes('<html><body></body></html>'), 'https://news.example/empty'));
    expect(error.code).toBe('FULL_TEXT_FAILED');
    expect(error.url).toBe('https://news.example/empty');
  });

  it('stops a page that takes longer than timeoutMs and goes on with a fresh worker', async () => {
    pool = new ExtractPool({ timeoutMs: 300 });
    const started = performance.now();
    const slow = pool.extract(bytes(huge(20_000)), 'https://news.example/slow');
    const next = pool.extract(bytes(article('After')), 'https://news.example/after');
    const error = await failure(slow);
    expect(error.code).toBe('FULL_TEXT_FAILED');
    expect(error.message).toMatch(/longer than 300 ms/);
    expect(performance.now() - started).toBeLessThan(2000);
    expect((await next).title).toBe('After');
  });

  it('fails a page that needs more than maxHeapMb without harming the process', async () => {
    pool = new ExtractPool({ maxHeapMb: 32, timeoutMs: 60_000 });
    const error = await failure(pool.extract(bytes(huge(100_000)), 'https://news.example/big'));
    expect(error.code).toBe('FULL_TEXT_FAILED');
    expect(error.message).toMatch(/more than 32 MB/);
    expect((await pool.extract(bytes(article('Still here')), 'https://news.example/ok')).title).toBe('Still here');
  });

  it('hands owned bytes over without a copy and copies views into shared memory', async () => {
    pool = new ExtractPool();
    const owned = bytes(article('Owned'));
    const shared = Buffer.from(article('Shared'));
    const sharedCopy = Buffer.from(shared);
    await pool.extract(owned, 'https://news.example/owned');
    await pool.extract(shared, 'https://news.example/shared');
    expect(owned.byteLength).toBe(0);
    expect(shared.equals(sharedCopy)).toBe(true);
  });

  it('rejects queued pages with ABORTED when closed', async () => {
    pool = new ExtractPool();
    const first = failure(pool.extract(bytes(huge(20_000)), 'https://news.example/1'));
    const second = failure(pool.extract(bytes(article('Two')), 'https://news.example/2'));
    await pool.close();
    expect((await first).code).toBe('ABORTED');
    expect((await second).code).toBe('ABORTED');
    expect((await failure(pool.extract(bytes(article('Late')), 'https://news.example/3'))).code).toBe('ABORTED');
  });
});
