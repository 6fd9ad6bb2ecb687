import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// This file runs in its own worker, so the module cache shows what this package loaded.
const cache = createRequire(import.meta.url).cache;
const heavy = ['linkedom', '@mozilla/readability', 'iconv-lite', 'chardet'];
const loaded = () => heavy.filter((name) => Object.keys(cache).some((path) => path.includes(`/node_modules/${name}/`)));

describe('lazy loading', () => {
  it('loads the DOM, Readability and legacy decoders only when an input needs them', async () => {
    const { decodeBytes, extractFullText, parseFeed } = await import('./index.js');
    const feed = parseFeed(
      '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Ünïcode</title>' +
        '<item><title>a</title><link>https://example.org/a</link></item></channel></rss>',
    );
    expect(feed.title).toBe('Ünïcode');
    expect(decodeBytes(new TextEncoder().encode('<p>café</p>'), 'text/html; charset=utf-8').text).toBe('<p>café</p>');
    expect(loaded()).toEqual([]);

    // "Привет" in windows-1251, labelled: iconv-lite only; unlabelled and not UTF-8: chardet too.
    const cp1251 = Uint8Array.from([0xcf, 0xf0, 0xe8, 0xe2, 0xe5, 0xf2]);
    expect(decodeBytes(cp1251, 'text/plain; charset=windows-1251').text).toBe('Привет');
    expect(loaded()).toEqual(['iconv-lite']);
    decodeBytes(cp1251);
    expect(loaded()).toEqual(['iconv-lite', 'chardet']);

    const page = `<html><body><article><h1>T</h1>${'<p>Enough words to be an article here. </p>'.repeat(20)}</article></body></html>`;
    expect(extractFullText(page, 'https://example.org/a').html).toContain('Enough words');
    expect(loaded()).toEqual(heavy);
  });
});
