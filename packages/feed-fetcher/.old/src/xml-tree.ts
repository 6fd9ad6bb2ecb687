import { resolveUrl } from './urls.js';

// Helpers over xml2js trees: every child is an array; text is `_`, attributes are `$` (rss-parser's defaults).
export type Node = Record<string, unknown> & { $?: Record<string, string>; _?: string };

/** An rss-parser item: its mapped fields plus our custom ones. */
export type RssItem = Record<string, unknown>;

export const str = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return str(v[0]);
  if (v && typeof v === 'object') {
    const node = v as Node;
    if (typeof node._ === 'string') return node._;
  }
  return undefined;
};
export const first = (node: Node | undefined, key: string): Node | string | undefined => {
  const value = node?.[key];
  return Array.isArray(value) ? (value[0] as Node | string) : undefined;
};
export const attr = (node: unknown, name: string): string | undefined =>
  node && typeof node === 'object' ? (node as Node).$?.[name] : undefined;

export function textValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  const node = value as Node;
  // Mixed content (naked markup in a title) keeps its text; element children are flattened.
  if (typeof node._ === 'string' && Object.keys(node).every((k) => k === '_' || k === '$')) return node._;
  if (typeof value === 'object') return flatten(value);
  return String(value);
}

export function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(flatten).join('');
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([key]) => key !== '$')
      .map(([, v]) => flatten(v))
      .join('');
  }
  return '';
}

export function imageOf(item: RssItem, base: string | undefined): string | undefined {
  const thumb = attr(item.mediaThumbnail, 'url');
  const media = item.mediaContent as Node | undefined;
  const enclosure = item.enclosure as { url?: string; type?: string } | undefined;
  const fromMedia =
    attr(media, 'medium') === 'image' || /^image\//.test(attr(media, 'type') ?? '') ? attr(media, 'url') : undefined;
  const fromEnclosure = enclosure && /^image\//.test(enclosure.type ?? '') ? enclosure.url : undefined;
  return resolveUrl(thumb ?? fromMedia ?? fromEnclosure, base);
}
