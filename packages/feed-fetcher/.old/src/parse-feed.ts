import { gunzipSync } from 'node:zlib';
import { parseDate } from './dates.js';
import { decodeBytes } from './encoding.js';
import { FeedError } from './errors.js';
import { parseJsonFeed, type RawFeed } from './parse-json.js';
import { parseXmlFeed } from './parse-xml.js';
import { articleId, plainText, type RawItem } from './raw-item.js';
import type { Article, ParsedFeed, ParseFeedOptions } from './types.js';
import { absolutizeHtml } from './urls.js';
import { prepareXml } from './xml-safety.js';

/** Documents larger than this are refused before parsing (the fetcher caps bodies too). */
const MAX_INPUT_CHARS = 50 * 1024 * 1024;

/**
 * Parses RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed 1.0/1.1, detected from the content.
 * Bytes are decoded by BOM, Content-Type charset, XML declaration, then detection; a string is
 * taken as already decoded. Throws FeedError (FEED_EMPTY, FEED_NOT_RECOGNIZED, FEED_MALFORMED),
 * never anything else.
 */
export function parseFeed(input: Uint8Array | string, options: ParseFeedOptions = {}): ParsedFeed {
  const { url } = options;
  const warnings: string[] = [];
  let text: string;
  let encoding: string;
  if (typeof input === 'string') {
    text = input;
    encoding = 'utf-8';
  } else {
    const decoded = decodeBytes(gunzipIfNeeded(input, url), options.contentType);
    text = decoded.text;
    encoding = decoded.encoding;
    if (decoded.warning) warnings.push(decoded.warning);
  }
  text = text.replace(/^\uFEFF/, '');
  const start = text.trimStart();
  if (!start) throw new FeedError('FEED_EMPTY', `the feed is empty${url ? ` (${url})` : ''}`, { url });
  if (text.length > MAX_INPUT_CHARS) throw new FeedError('FEED_MALFORMED', 'the feed is larger than 50 MB', { url });

  let raw: RawFeed;
  try {
    if (start.startsWith('{') || start.startsWith('[')) raw = parseJsonFeed(start, url);
    else if (start.startsWith('<')) raw = parseXmlFeed(prepareXml(start), url);
    else throw new FeedError('FEED_NOT_RECOGNIZED', 'the document is neither XML nor JSON', { url });
  } catch (error) {
    if (error instanceof FeedError) throw error;
    // rss-parser and xml2js throw plain errors on shapes they do not expect.
    throw new FeedError('FEED_MALFORMED', `the feed could not be read: ${(error as Error)?.message}`, {
      cause: error,
      url,
    });
  }
  const now = options.now ?? new Date();
  const feedTitle = plainText(raw.title) || raw.link || url || 'Untitled feed';
  const feedUrl = url ?? raw.link ?? '';
  const articles = raw.items.map((item) => toArticle(item, { feedTitle, feedUrl, now, language: raw.language }));
  const feed: ParsedFeed = { format: raw.format, title: feedTitle, encoding, articles, warnings };
  if (raw.link) feed.link = raw.link;
  if (raw.language) feed.language = raw.language;
  return feed;
}

interface FeedFacts {
  feedTitle: string;
  feedUrl: string;
  now: Date;
  language: string | undefined;
}

function toArticle(item: RawItem, facts: FeedFacts): Article {
  const date = parseDate(item.date);
  const contentHtml = item.content?.trim() ? absolutizeHtml(item.content, item.base) : undefined;
  const summaryHtml = item.summary?.trim() ? absolutizeHtml(item.summary, item.base) : undefined;
  const html = contentHtml ?? summaryHtml ?? '';
  let title = plainText(item.title);
  if (!title) title = firstWords(plainText(html)) || item.link || 'Untitled';
  const article: Article = {
    id: articleId({ guid: item.guid, link: item.link, title, content: html }),
    title,
    published: date ?? facts.now,
    undated: !date,
    html,
    feedTitle: facts.feedTitle,
    feedUrl: facts.feedUrl,
    hasContent: contentHtml !== undefined,
  };
  if (item.link) article.url = item.link;
  const author = plainText(item.author);
  if (author) article.author = author;
  if (summaryHtml) article.summary = summaryHtml;
  const language = item.language?.trim() || facts.language;
  if (language) article.language = language;
  if (item.image) article.image = item.image;
  return article;
}

function firstWords(text: string): string {
  if (text.length <= 80) return text;
  return `${text.slice(0, 80).replace(/\s+\S*$/, '')}…`;
}

/** A gzip file saved as .xml (or served without Content-Encoding) is unpacked, within the size cap. */
function gunzipIfNeeded(bytes: Uint8Array, url: string | undefined): Uint8Array {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_INPUT_CHARS });
  } catch (cause) {
    throw new FeedError(
      'FEED_MALFORMED',
      `the gzip-compressed feed could not be unpacked: ${(cause as Error).message}`,
      {
        cause,
        url,
      },
    );
  }
}
