import { decodeBytes } from './encoding.js';
import { resolveUrl } from './urls.js';

const FEED_TYPES = /^application\/(rss|atom|feed|rdf)\+(xml|json)$|^application\/(rss|atom)$|^application\/json$/i;

/**
 * Feed URLs an HTML page advertises with `<link rel="alternate" type="application/rss+xml">`
 * (and Atom / JSON Feed types), absolute, in page order. Lets a feeds.txt line name a site's page.
 */
export function discoverFeedLinks(page: Uint8Array | string, pageUrl: string, contentType?: string): string[] {
  const html = typeof page === 'string' ? page : decodeBytes(page, contentType, true).text;
  const head = html.slice(0, 200_000);
  const found: string[] = [];
  for (const match of head.matchAll(/<link\b[^>]*>/gi)) {
    const tag = match[0];
    const attr = (name: string) =>
      new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
        .exec(tag)
        ?.slice(1)
        .find((v) => v !== undefined);
    const rel = attr('rel')?.toLowerCase().split(/\s+/) ?? [];
    const type = attr('type')?.trim() ?? '';
    const href = attr('href');
    if (!rel.includes('alternate') || !FEED_TYPES.test(type) || !href) continue;
    const url = resolveUrl(href.replace(/&amp;/g, '&'), pageUrl);
    if (url && /^https?:/i.test(url) && !found.includes(url)) found.push(url);
  }
  return found;
}
