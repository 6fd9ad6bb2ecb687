import { FeedError } from './errors.js';
import { type RawItem, textToHtml } from './raw-item.js';
import { resolveUrl } from './urls.js';

export interface RawFeed {
  format: string;
  title?: string;
  link?: string;
  language?: string;
  items: RawItem[];
}

type Json = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const obj = (v: unknown): Json | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;

/** Reads a JSON Feed 1.0 or 1.1 document (https://jsonfeed.org). */
export function parseJsonFeed(text: string, url: string | undefined): RawFeed {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new FeedError('FEED_MALFORMED', `the JSON is not valid: ${(cause as Error).message}`, { cause, url });
  }
  const root = obj(data);
  const version = str(root?.version) ?? '';
  if (!root || !/jsonfeed\.org\/version\//i.test(version)) {
    throw new FeedError('FEED_NOT_RECOGNIZED', 'JSON that is not a JSON Feed (no jsonfeed.org "version")', { url });
  }
  const format = /version\/1\.1/.test(version) ? 'json1.1' : 'json1.0';
  const base = str(root.home_page_url) ?? url;
  const feedBase = url && /^https?:/i.test(url) ? url : base;
  const feedAuthor = authorOf(root);
  const items = Array.isArray(root.items) ? root.items : [];
  return {
    format,
    title: str(root.title),
    link: resolveUrl(str(root.home_page_url), url),
    language: str(root.language),
    items: items
      .map(obj)
      .filter((item): item is Json => !!item)
      .map((item) => {
        const link = resolveUrl(str(item.url) ?? str(item.external_url), feedBase);
        const html = str(item.content_html);
        const text = str(item.content_text);
        const raw: RawItem = {
          title: str(item.title),
          link,
          guid: str(item.id),
          guidIsLink: false,
          author: authorOf(item) ?? feedAuthor,
          date: str(item.date_published) ?? str(item.date_modified),
          content: html ?? (text !== undefined ? textToHtml(text) : undefined),
          summary: str(item.summary),
          language: str(item.language),
          base: link ?? feedBase,
          image: resolveUrl(str(item.image) ?? str(item.banner_image), feedBase),
        };
        return raw;
      }),
  };
}

function authorOf(node: Json): string | undefined {
  const authors = Array.isArray(node.authors) ? node.authors : node.author ? [node.author] : [];
  const names = authors.map((a) => str(obj(a)?.name)).filter((n): n is string => !!n);
  return names.length ? names.join(', ') : undefined;
}
