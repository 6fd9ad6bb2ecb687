import Parser from 'rss-parser';
import { FeedError } from './errors.js';
import { atomItem, atomLink, atomText, withoutBadDates } from './parse-atom.js';
import type { RawFeed } from './parse-json.js';
import type { RawItem } from './raw-item.js';
import { resolveUrl } from './urls.js';
import { attr, first, imageOf, type Node, type RssItem, str, textValue } from './xml-tree.js';

/** rss-parser's builders, which its typings do not list. Pinned to rss-parser 3.13.0. */
interface RssParserInternals {
  xmlParser: { parseString(xml: string, cb: (error: Error | null, result: unknown) => void): void };
  buildAtomFeed(xml: unknown): RssOutput;
  buildRSS2(xml: unknown): RssOutput;
  buildRSS1(xml: unknown): RssOutput;
  buildRSS0_9(xml: unknown): RssOutput;
}
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
