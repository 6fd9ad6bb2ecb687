import { createHash } from 'node:crypto';
import { decodeHTML } from 'entities';

/** What each format parser extracts from one item, before the shared article rules apply. */
export interface RawItem {
  title?: string;
  /** Title is HTML (Atom type="html"/"xhtml", or markup found in an RSS title). */
  link?: string;
  guid?: string;
  /** guid is known not to be a link (RSS isPermaLink="false"). */
  guidIsLink?: boolean;
  author?: string;
  date?: string;
  /** Full content (content:encoded, Atom content, JSON content_html). */
  content?: string;
  /** Summary (RSS description, Atom summary, JSON summary). */
  summary?: string;
  language?: string;
  /** Base URL for this item's relative links (xml:base chain, feed URL, feed link). */
  base?: string;
  image?: string;
}

// Only real HTML tags are markup in a title; "<story>" in a title is text.
const HTML_TAG =
  /<\/?(a|abbr|acronym|b|big|br|cite|code|del|dfn|div|em|font|h[1-6]|i|img|ins|kbd|mark|p|q|s|samp|small|span|strike|strong|sub|sup|tt|u|var)\b[^>]*>/gi;

/** Plain text of a title that may contain markup or entities, decoded exactly once. */
export function plainText(value: string | undefined): string {
  if (!value) return '';
  let text = value;
  if (/[<&]/.test(text)) {
    text = text.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1').replace(HTML_TAG, '');
    text = decodeHTML(text);
  }
  return text.replace(/[ \t\r\n\f]+/g, ' ').trim();
}

/** Escapes plain text for use as HTML. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped
    .split(/\n{2,}/)
    .map((p) => `<p>${p.trim().replace(/\n/g, '<br>')}</p>`)
    .join('\n');
}

/** Stable article id: guid, else link, else a hash of title and content. */
export function articleId(item: { guid?: string; link?: string; title?: string; content?: string }): string {
  const guid = item.guid?.trim();
  if (guid) return guid;
  const link = item.link?.trim();
  if (link) return link;
  const hash = createHash('sha256')
    .update(item.title ?? '')
    .update('\u0000')
    .update(item.content ?? '')
    .digest('hex');
  return `sha256:${hash.slice(0, 32)}`;
}
