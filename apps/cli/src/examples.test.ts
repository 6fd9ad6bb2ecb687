import { readFile, readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFeed, readFeedList } from '@news2kindle/feed-fetcher';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_FEEDS } from './feeds-file.js';

const examples = dirname(EXAMPLES_FEEDS);

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? await sizeOf(path) : (await stat(path)).size;
  }
  return total;
}

describe('the bundled examples (what npm start delivers)', () => {
  it('list four local feeds in four formats and languages, one of them GBK', async () => {
    const sources = readFeedList(await readFile(EXAMPLES_FEEDS, 'utf8'), { baseDir: examples });
    expect(sources).toHaveLength(4);
    const parsed = await Promise.all(
      sources.map(async (s) => parseFeed(await readFile(fileURLToPath(s.url)), { url: s.url })),
    );
    expect(parsed.map((f) => f.format)).toEqual(['rss2.0', 'atom1.0', 'json1.1', 'rss2.0']);
    expect(parsed.map((f) => f.language?.slice(0, 2))).toEqual(['en', 'de', 'ar', 'zh']);
    expect(parsed[3]?.encoding).toMatch(/^(gbk|gb18030)$/);
    expect(parsed[3]?.title).toBe('山海晚报');
    for (const feed of parsed) {
      expect(feed.warnings).toEqual([]);
      expect(feed.articles.length).toBeGreaterThanOrEqual(2);
      for (const article of feed.articles) expect(article.undated).toBe(false);
    }
  });

  it('embed exactly the pictures in images/ (make-images.mjs was run after the last change)', async () => {
    const files = await readdir(join(examples, 'images'));
    expect(files.sort()).toEqual(['alps.webp', 'ferry-chart.png', 'harbour.jpg', 'lanterns.jpg']);
    const embedded = new Set<string>();
    for (const name of await readdir(join(examples, 'feeds'))) {
      const text = await readFile(join(examples, 'feeds', name), 'latin1');
      for (const m of text.matchAll(/<img data-file=\\?"([^"\\]+)\\?" src=\\?"data:image\/[a-z]+;base64,([^"\\]+)/g)) {
        const image = await readFile(join(examples, 'images', basename(m[1]!)));
        expect(m[2], m[1]).toBe(image.toString('base64'));
        embedded.add(basename(m[1]!));
      }
    }
    expect([...embedded].sort()).toEqual(files.sort());
  });

  it('stay small', async () => {
    expect(await sizeOf(examples)).toBeLessThan(300 * 1024);
  });
});
