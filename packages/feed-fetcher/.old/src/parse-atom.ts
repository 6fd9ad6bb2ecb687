import { type RawItem, textToHtml } from './raw-item.js';
import { resolveUrl } from './urls.js';
import { attr, first, imageOf, type Node, type RssItem, str, textValue } from './xml-tree.js';

export function atomItem(item: RssItem, node: Node, channelBase: string | undefined): RawItem {
  const base = resolveUrl(attr(node, 'xml:base'), channelBase) ?? channelBase;
  const contentNode = first(node, 'content');
  const summaryNode = first(node, 'summary');
  const date =
    str(first(node, 'published')) ??
    str(first(node, 'issued')) ??
    str(first(node, 'updated')) ??
    str(first(node, 'modified')) ??
    str(first(node, 'created'));
  const authorNode = first(node, 'author');
  return {
    title: atomText(first(node, 'title')),
    link: resolveUrl(atomLink(node), base),
    guid: textValue(item.id)?.trim() || undefined,
    guidIsLink: false,
    author: typeof authorNode === 'object' ? str(first(authorNode, 'name')) : undefined,
    date,
    content: atomContent(item.content, contentNode),
    summary: atomContent(item.summary, summaryNode),
    language: attr(node, 'xml:lang'),
    base: resolveUrl(attr(contentNode, 'xml:base'), base) ?? base,
    image: imageOf(item, base),
  };
}

/** An Atom text construct as HTML-ish text for plainText(): text and xhtml escaped, base64 decoded. */
export function atomText(node: Node | string | undefined): string | undefined {
  let text = textValue(node);
  if (text === undefined) return undefined;
  const type = attr(node, 'type') ?? 'text';
  if (attr(node, 'mode') === 'base64') text = Buffer.from(text, 'base64').toString('utf8');
  else if (isBinaryType(type)) text = fromBase64(text) ?? text;
  // xml2js has already decoded text and flattened xhtml, so both are literal text now.
  if (/^(text|text\/plain|xhtml|application\/xhtml\+xml)$/i.test(type))
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return text;
}

/** Atom 1.0: a MIME type that is neither text nor XML means base64 content. */
function isBinaryType(type: string): boolean {
  return type.includes('/') && !/^text\/|[+/]xml$/i.test(type);
}

/** Base64 text decoded when it really is base64 of UTF-8 text; undefined otherwise. */
function fromBase64(text: string): string | undefined {
  const compact = text.replace(/\s+/g, '');
  if (!compact || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  return /[\uFFFD\x00-\x08\x0E-\x1F]/.test(decoded) ? undefined : decoded;
}

function atomContent(value: unknown, node: Node | string | undefined): string | undefined {
  const text = textValue(value);
  if (text === undefined) return undefined;
  const type = attr(node, 'type') ?? 'text';
  const mode = attr(node, 'mode');
  if (mode === 'base64' || (isBinaryType(type) && fromBase64(text) !== undefined))
    return Buffer.from(text, 'base64').toString('utf8');
  // Atom text constructs are plain text unless typed as HTML (Atom 0.3 used MIME types).
  if (/^(text|text\/plain)$/i.test(type) && mode !== 'escaped') return textToHtml(text);
  return text;
}

/** rss-parser reads `link.$.rel` and crashes on `<link>text</link>`; give every link attributes. */
export function withAttributes(links: unknown): unknown {
  if (!Array.isArray(links)) return links;
  return links.map((l) =>
    l && typeof l === 'object' && (l as Node).$ ? l : { $: { href: typeof l === 'string' ? l : '' } },
  );
}

/**
 * The Atom link to the article: rel="alternate" (or no rel, which means alternate), preferring an
 * HTML type; never rel="self", "enclosure" or "replies" unless nothing else exists.
 */
export function atomLink(node: Node): string | undefined {
  const links = (Array.isArray(node.link) ? node.link : []) as Array<Node | string>;
  const candidates = links
    .map((l) =>
      typeof l === 'string'
        ? { href: l, rel: 'alternate', type: '' }
        : { href: l.$?.href ?? str(l) ?? '', rel: l.$?.rel ?? 'alternate', type: l.$?.type ?? '' },
    )
    .filter((l) => l.href.trim());
  const alternate = candidates.filter((l) => l.rel === 'alternate');
  return (
    alternate.find((l) => /html/i.test(l.type)) ??
    alternate[0] ??
    candidates.find((l) => l.rel !== 'self') ??
    candidates[0]
  )?.href;
}

/** rss-parser calls toISOString() on Atom dates and throws on bad ones; we read dates ourselves. */
export function withoutBadDates(root: Node): Node {
  const entries = root.entry as Node[] | undefined;
  if (!Array.isArray(entries)) return root;
  const bad = (v: unknown) => Number.isNaN(new Date(String(str(v) ?? '').trim()).getTime());
  return {
    ...root,
    link: withAttributes(root.link),
    entry: entries.map((entry) => {
      const copy: Node = { ...entry, link: withAttributes(entry.link) };
      for (const key of ['published', 'updated']) if (copy[key] !== undefined && bad(copy[key])) delete copy[key];
      return copy;
    }),
  };
}
