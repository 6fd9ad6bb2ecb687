import type { Article } from './types.js';

export interface SelectOptions {
  /** Keep items published at or after this time. Undated items are kept (they carry the fetch time). */
  since?: Date;
  /** At most this many items, newest first. */
  maxItems?: number;
  /** Keep only items whose title, summary or content contains one of these words (case-insensitive). */
  include?: string[];
  /** Drop items whose title, summary or content contains one of these words (case-insensitive). */
  exclude?: string[];
}

/**
 * Picks the articles to deliver: filters, then newest first with a stable order for equal dates
 * (the feed's own order), then the first `maxItems`. Duplicate ids keep their first occurrence.
 */
export function selectArticles(articles: Article[], options: SelectOptions = {}): Article[] {
  const include = options.include?.map((w) => w.toLowerCase()).filter(Boolean) ?? [];
  const exclude = options.exclude?.map((w) => w.toLowerCase()).filter(Boolean) ?? [];
  const seen = new Set<string>();
  const kept = articles.filter((article) => {
    if (seen.has(article.id)) return false;
    seen.add(article.id);
    if (options.since && !article.undated && article.published < options.since) return false;
    if (include.length === 0 && exclude.length === 0) return true;
    const haystack = `${article.title}\n${article.summary ?? ''}\n${article.html}`.toLowerCase();
    if (include.length > 0 && !include.some((w) => haystack.includes(w))) return false;
    return !exclude.some((w) => haystack.includes(w));
  });
  const sorted = sortNewestFirst(kept);
  return options.maxItems !== undefined ? sorted.slice(0, Math.max(0, options.maxItems)) : sorted;
}

/** Newest first; equal dates keep their original order (Array.prototype.sort is stable). */
export function sortNewestFirst(articles: Article[]): Article[] {
  return [...articles].sort((a, b) => b.published.getTime() - a.published.getTime());
}
