import Parser from 'rss-parser';
import { FeedError } from './errors.js';
import type { RawFeed } from './parse-json.js';
import { type RawItem, textToHtml } from './raw-item.js';
import { resolveUrl } from './urls.js';

// xml2js shapes: every child is an array; text is `_`, attributes are `$` (rss-parser's defaults).
type Node = Record<string, unknown> & { $?: Record<string, string>; _?: string };

/** rss-parser's builders, which its typings do not list. Pinned to rss-parser 3.13.0. */
interface RssParserInternals {
  xmlParser: { parseString(xml: string, cb: (error: Error | null, result: unknown) => void): void };
  buildAtomFeed(xml: unknown): RssOutput;
  buildRSS2(xml: unknown): RssOutput;
  buildRSS1(xml: unknown): RssOutput;
  buildRSS0_9(xml: unknown): RssOutput;
}
type RssItem = Record<string, unknown>;
interface RssOutput {
  title?: unknown;
  link?: unknown;
  language?: unknown;
  items: RssItem[];
}

const ITEM_FIELDS = [
  ['dc:language', 'language'],
  ['media:thumbnail', 'mediaThumbnail'],
  ['media:content', 'mediaContent'],
  ['dc:identifier', 'identifier'],
];

const str = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return str(v[0]);
  if (v && typeof v === 'object') {
    const node = v as Node;
    if (typeof node._ === 'string') return node._;
  }
  return undefined;
};
const first = (node: Node | undefined, key: string): Node | string | undefined => {
  const value = node?.[key];
  return Array.isArray(value) ? (value[0] as Node | string) : undefined;
};
const attr = (node: unknown, name: string): string | undefined =>
  node && typeof node === 'object' ? (node as Node).$?.[name] : undefined;

/** Parses RSS 0.9x/1.0/2.0 and Atom 0.3/1.0 with rss-parser, then adds what it leaves out. */
export function parseXmlFeed(xml: string, url: string | undefined): RawFeed {
  const prefixes = feedPrefixes(xml);
  let tree = readTree(xml, prefixes, true);
  if (tree instanceof Error) {
    // Real feeds break XML rules (stray close tags, upper-case names); a forgiving second pass
    // recovers most of them. Its error is not better than the strict one, so report the first.
    const loose = readTree(xml, prefixes, false);
    if (loose instanceof Error || !loose) {
      throw new FeedError('FEED_MALFORMED', `the XML is not well-formed: ${tree.message.split('\n').join(' ')}`, {
        cause: tree,
        url,
      });
    }
    tree = loose;
  }
  if (!tree) throw new FeedError('FEED_MALFORMED', 'the XML has no document element', { url });
  const parser = new Parser({ customFields: { item: ITEM_FIELDS as never } }) as unknown as RssParserInternals;
  const [rootName, rootValue] = Object.entries(tree)[0] ?? [];
  const root = (rootValue ?? {}) as Node;
  const local = (rootName ?? '').replace(/^.*:/, '');
  let format: string;
  let output: RssOutput;
  let rawItems: Node[];
  try {
    if (local === 'feed') {
      const ns = attr(root, 'xmlns') ?? '';
      format = attr(root, 'version') === '0.3' || /purl\.org\/atom\/ns#/.test(ns) ? 'atom0.3' : 'atom1.0';
      output = parser.buildAtomFeed({ feed: withoutBadDates(root) });
      rawItems = (root.entry as Node[] | undefined) ?? [];
    } else if (local === 'rss') {
      const version = attr(root, 'version') ?? '2.0';
      format = /^0\.9/.test(version) ? `rss${version}` : 'rss2.0';
      const channel = first(root, 'channel');
      // <rss/> without a channel is an empty feed, not an error.
      output =
        typeof channel === 'object'
          ? parser.buildRSS2({ rss: { ...root, $: { ...root.$, version: '2.0' } } })
          : { items: [] };
      rawItems = typeof channel === 'object' ? ((channel.item as Node[] | undefined) ?? []) : [];
    } else if (local === 'RDF') {
      const ns = Object.values(root.$ ?? {}).join(' ');
      format = /netscape\.com\/rdf\/simple\/0\.9/.test(ns) ? 'rss0.90' : 'rss1.0';
      const channel = first(root, 'channel');
      output = typeof channel === 'object' ? parser.buildRSS1({ 'rdf:RDF': root }) : { items: [] };
      rawItems = (root.item as Node[] | undefined) ?? [];
    } else {
      const what = /^html$/i.test(local) ? 'an HTML page, not a feed' : `<${rootName}> is not RSS, RDF or Atom`;
      throw new FeedError('FEED_NOT_RECOGNIZED', `the document is ${what}`, { url });
    }
  } catch (error) {
    if (error instanceof FeedError) throw error;
    throw new FeedError('FEED_MALFORMED', `the feed has an unexpected structure: ${(error as Error).message}`, {
      cause: error,
      url,
    });
  }

  const channelCandidate = local === 'feed' ? root : first(root, 'channel');
  const channelNode: Node = typeof channelCandidate === 'object' ? channelCandidate : {};
  const feedLink = local === 'feed' ? atomLink(root) : (textValue(output.link) ?? str(first(channelNode, 'link')));
  // Relative links resolve against xml:base, then the feed's own URL, then the feed's link.
  const outer = url && /^https?:/i.test(url) ? url : (resolveUrl(feedLink, url) ?? url);
  const rootBase = resolveUrl(attr(root, 'xml:base'), outer) ?? outer;
  const channelBase = resolveUrl(attr(channelNode, 'xml:base'), rootBase) ?? rootBase;
  const language = textValue(output.language) ?? attr(root, 'xml:lang') ?? str(first(channelNode, 'dc:language'));

  const items = output.items.map((item, index) => {
    const rawNode = rawItems[index] ?? {};
    return local === 'feed'
      ? atomItem(item, rawNode, channelBase)
      : rssItem(item, rawNode, channelBase, attr(root, 'xml:lang'));
  });
  return {
    format,
    title:
      local === 'feed' ? atomText(first(root, 'title')) : (textValue(output.title) ?? str(first(channelNode, 'title'))),
    link: resolveUrl(feedLink, rootBase),
    language: language?.trim() || undefined,
    items,
  };
}

function textValue(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  const node = value as Node;
  // Mixed content (naked markup in a title) keeps its text; element children are flattened.
  if (typeof node._ === 'string' && Object.keys(node).every((k) => k === '_' || k === '$')) return node._;
  if (typeof value === 'object') return flatten(value);
  return String(value);
}

function flatten(value: unknown): string {
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

function rssItem(item: RssItem, node: Node, channelBase: string | undefined, rootLang?: string): RawItem {
  const base = resolveUrl(attr(node, 'xml:base'), channelBase) ?? channelBase;
  const guidNode = first(node, 'guid');
  const guidIsLink = attr(guidNode, 'isPermaLink') !== 'false';
  const guid = textValue(item.guid)?.trim() || textValue(item['rdf:about'])?.trim() || undefined;
  let link = resolveUrl(textValue(item.link), base);
  if (!link && guid && guidIsLink && /^https?:\/\//i.test(guid)) link = guid;
  const encoded = textValue(item['content:encoded']);
  const description = textValue(item.content);
  return {
    title: textValue(item.title),
    link,
    guid,
    guidIsLink,
    author: textValue(item.creator) ?? textValue(item.author),
    date:
      textValue(item.pubDate) ??
      textValue(item.date) ??
      str(first(node, 'atom:published')) ??
      str(first(node, 'dcterms:issued')) ??
      str(first(node, 'dcterms:created')) ??
      str(first(node, 'dcterms:modified')) ??
      str(first(node, 'atom:updated')),
    content: encoded,
    summary: description,
    language: textValue(item.language) ?? rootLang,
    base,
    image: imageOf(item, base),
  };
}

function atomItem(item: RssItem, node: Node, channelBase: string | undefined): RawItem {
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
function atomText(node: Node | string | undefined): string | undefined {
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

function imageOf(item: RssItem, base: string | undefined): string | undefined {
  const thumb = attr(item.mediaThumbnail, 'url');
  const media = item.mediaContent as Node | undefined;
  const enclosure = item.enclosure as { url?: string; type?: string } | undefined;
  const fromMedia =
    attr(media, 'medium') === 'image' || /^image\//.test(attr(media, 'type') ?? '') ? attr(media, 'url') : undefined;
  const fromEnclosure = enclosure && /^image\//.test(enclosure.type ?? '') ? enclosure.url : undefined;
  return resolveUrl(thumb ?? fromMedia ?? fromEnclosure, base);
}

const FEED_NAMESPACES =
  /^(http:\/\/purl\.org\/rss\/1\.0\/|http:\/\/my\.netscape\.com\/rdf\/simple\/0\.9\/|http:\/\/backend\.userland\.com\/rss2?)$/;
const ATOM_NAMESPACES = /^(http:\/\/www\.w3\.org\/2005\/Atom|http:\/\/purl\.org\/atom\/ns#)$/;

/**
 * Prefixes to strip so that `<rss:item>` reads as `<item>`: those bound to the RSS 0.9/1.0
 * namespaces, and the Atom prefix when the root itself is `<prefix:feed>` (never in RSS, where
 * `atom:link` must keep its prefix).
 */
function feedPrefixes(xml: string): Set<string> {
  const prefixes = new Set<string>();
  const head = xml.slice(0, 8192);
  const root = /<([\w.-]+):feed[\s>]/.exec(head)?.[1];
  const re = /xmlns:([\w.-]+)\s*=\s*["']([^"']+)["']/g;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    if (FEED_NAMESPACES.test(m[2]!) || (ATOM_NAMESPACES.test(m[2]!) && m[1] === root)) prefixes.add(m[1]!);
  }
  return prefixes;
}

// Names whose case matters to rss-parser, restored after the forgiving parse lower-cases them.
const CAMEL = new Map(
  [
    'pubDate',
    'lastBuildDate',
    'managingEditor',
    'webMaster',
    'skipHours',
    'skipDays',
    'textInput',
    'isPermaLink',
    'rdf:RDF',
  ].map((n) => [n.toLowerCase(), n]),
);

function readTree(xml: string, prefixes: Set<string>, strict: boolean): Record<string, unknown> | Error | undefined {
  const rename = (name: string) => {
    const colon = name.indexOf(':');
    const stripped = colon > 0 && prefixes.has(name.slice(0, colon)) ? name.slice(colon + 1) : name;
    return strict ? stripped : (CAMEL.get(stripped.toLowerCase()) ?? stripped.toLowerCase());
  };
  const xml2js = {
    strict,
    tagNameProcessors: [rename],
    attrNameProcessors: strict ? [] : [(n: string) => CAMEL.get(n.toLowerCase()) ?? n.toLowerCase()],
  };
  const parser = new Parser({ xml2js }) as unknown as RssParserInternals;
  let tree: unknown;
  let failure: Error | undefined;
  try {
    // xml2js parses synchronously and calls back before parseString returns (its async option is off).
    parser.xmlParser.parseString(xml, (error, result) => {
      failure ??= error ?? undefined;
      tree = result;
    });
  } catch (error) {
    failure = error as Error;
  }
  if (failure) return failure;
  return tree && typeof tree === 'object' ? (tree as Record<string, unknown>) : undefined;
}

/** rss-parser reads `link.$.rel` and crashes on `<link>text</link>`; give every link attributes. */
function withAttributes(links: unknown): unknown {
  if (!Array.isArray(links)) return links;
  return links.map((l) =>
    l && typeof l === 'object' && (l as Node).$ ? l : { $: { href: typeof l === 'string' ? l : '' } },
  );
}

/**
 * The Atom link to the article: rel="alternate" (or no rel, which means alternate), preferring an
 * HTML type; never rel="self", "enclosure" or "replies" unless nothing else exists.
 */
function atomLink(node: Node): string | undefined {
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
function withoutBadDates(root: Node): Node {
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
