import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintKindle } from '@news2kindle/epub-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBook } from './build-book.js';
import { parseConfig } from './config.js';
import { type TestSite, startTestSite } from './test-site.js';

let site: TestSite;
let work: string;

beforeAll(async () => {
  site = await startTestSite();
  work = await mkdtemp(join(tmpdir(), 'n2k-build-'));
});
afterAll(async () => {
  await site.close();
  await rm(work, { recursive: true, force: true });
});

describe('buildBook', () => {
  it('writes just the book: no state, no mail, temporary files removed', async () => {
    const out = join(work, 'books', 'today.epub');
    const temp = join(work, 'tmp');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(temp);
    const report = await buildBook(parseConfig({ feeds: site.feedsFile, timeoutMs: 5_000, maxPerFeed: 1 }), {
      out,
      tempDir: temp,
    });
    expect(report.path).toBe(out);
    expect(report.bytes).toBe((await stat(out)).size);
    // One per feed (the cap), from the four feeds that work.
    expect(report.articles).toBe(4);
    expect(report.feeds.filter((f) => f.status === 'failed').map((f) => new URL(f.url).pathname)).toEqual([
      '/broken.xml',
    ]);
    expect(await lintKindle(out)).toEqual([]);
    expect(await readdir(temp)).toEqual([]);
  });

  it('writes nothing when no article is in the window', async () => {
    const out = join(work, 'none.epub');
    const report = await buildBook(parseConfig({ feeds: site.photosFile, since: '1m' }), { out });
    expect(report.path).toBeUndefined();
    expect(report.articles).toBe(0);
    await expect(stat(out)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
