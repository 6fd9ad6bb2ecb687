import { describe, expect, it } from 'vitest';
import { bearerMatches } from './auth.js';
import { displayUrl, esc, formatBytes } from './html.js';

describe('bearerMatches', () => {
  it('accepts exactly the token, in a Bearer header', () => {
    expect(bearerMatches('Bearer s3cret', 's3cret')).toBe(true);
    expect(bearerMatches('bearer   s3cret ', 's3cret')).toBe(true);
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Bearer s3cre',
      'Bearer s3cret2',
      'Basic s3cret',
      's3cret',
    ]) {
      expect(bearerMatches(header, 's3cret'), String(header)).toBe(false);
    }
  });
});

describe('page helpers', () => {
  it('escapes markup', () => {
    expect(esc(`<img src=x onerror="a('b')">&`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;');
  });
  it('masks credentials and secret-looking query values in feed URLs', () => {
    expect(displayUrl('https://me:pw@example.org/feed?api_key=abc&page=2')).toBe(
      'https://example.org/feed?api_key=…&page=2',
    );
    expect(displayUrl('file:///app/examples/feeds/harbour-gazette.rss')).toBe('feeds/harbour-gazette.rss');
  });
  it('formats sizes', () => {
    expect([0, 900, 2048, 1_530_000].map(formatBytes)).toEqual(['0 B', '900 B', '2 KB', '1.5 MB']);
  });
});
