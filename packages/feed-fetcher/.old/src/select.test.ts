import { describe, expect, it } from 'vitest';
import { type Article, selectArticles } from './index.js';

const article = (id: string, day: number, extra: Partial<Article> = {}): Article => ({
  id,
  title: `Title ${id}`,
  published: new Date(Date.UTC(2026, 10, day)),
  undated: false,
  html: `<p>Body of ${id}</p>`,
  feedTitle: 'F',
  feedUrl: 'https://f.example/feed',
  ...extra,
});

describe('selectArticles', () => {
  const list = [
    article('a', 20),
    article('b', 28, { title: 'Kindle news' }),
    article('c', 28),
    article('d', 25, { html: '<p>Sponsored content</p>' }),
    article('e', 1, { undated: true }),
    article('b', 29),
  ];

  it('sorts newest first, keeping feed order for equal dates, and drops duplicate ids', () => {
    expect(selectArticles(list).map((a) => a.id)).toEqual(['b', 'c', 'd', 'a', 'e']);
  });

  it('keeps items since a date (undated items carry the fetch time and stay) and at most N', () => {
    const since = new Date(Date.UTC(2026, 10, 22));
    expect(selectArticles(list, { since }).map((a) => a.id)).toEqual(['b', 'c', 'd', 'e']);
    expect(selectArticles(list, { since, maxItems: 2 }).map((a) => a.id)).toEqual(['b', 'c']);
    expect(selectArticles(list, { maxItems: 0 })).toEqual([]);
  });

  it('filters by include and exclude keywords, case-insensitively, in title and content', () => {
    expect(selectArticles(list, { include: ['KINDLE'] }).map((a) => a.id)).toEqual(['b']);
    expect(selectArticles(list, { exclude: ['sponsored'] }).map((a) => a.id)).toEqual(['b', 'c', 'a', 'e']);
  });
});
