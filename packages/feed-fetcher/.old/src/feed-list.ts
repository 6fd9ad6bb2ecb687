import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeHTML } from 'entities';
import { FeedError } from './errors.js';
import type { FeedSource, FullTextMode } from './types.js';

export interface ReadFeedListOptions {
  /** Folder that relative local paths are resolved against. Default: the current directory. */
  baseDir?: string;
}

const MODES = new Set(['auto', 'always', 'never']);

/**
 * Reads a feed list: an OPML document (detected from its content) or a feeds.txt.
 *
 * feeds.txt is the original script's format — one URL per line, `#` comments, blank lines —
 * extended compatibly: after the URL, optional `key=value` options and a title:
 *
 *     https://example.com/feed.xml  Example News  full=always max=20 include=kindle,ebook exclude=sponsored
 *     ./local/feed.xml  title="My local feed"  full=never
 *
 * Options: `title=`, `full=auto|always|never`, `max=<n>`, `include=<a,b>`, `exclude=<a,b>`;
 * values with spaces are quoted. Words that are not options form the title.
 * A `#` starts a comment at the start of a line or after a space, outside quotes.
 */
export function readFeedList(text: string, options: ReadFeedListOptions = {}): FeedSource[] {
  const body = text.replace(/^\uFEFF/, '');
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<opml[\s>]/i.test(body)) return readOpml(body, options);
  const sources: FeedSource[] = [];
  body.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = stripComment(raw).trim();
    if (content) sources.push(parseLine(content, line, options));
  });
  return sources;
}

function stripComment(raw: string): string {
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === '#' && !quoted && (i === 0 || /\s/.test(raw[i - 1]!))) return raw.slice(0, i);
  }
  return raw;
}

function parseLine(content: string, line: number, options: ReadFeedListOptions): FeedSource {
  const tokens = tokenize(content, line);
  const first = tokens.shift()!;
  const source: FeedSource = { url: toUrl(first, line, options), line };
  const titleWords: string[] = [];
  for (const token of tokens) {
    const match = /^([a-z][a-z-]*)=(.*)$/is.exec(token);
    if (!match) {
      titleWords.push(token);
      continue;
    }
    const key = match[1]!.toLowerCase();
    const value = match[2]!;
    if (key === 'title') source.title = value;
    else if (key === 'full' || key === 'fulltext') {
      if (!MODES.has(value)) throw invalid(line, `full=${value}: expected full=auto, full=always or full=never`);
      source.fullText = value as FullTextMode;
    } else if (key === 'max' || key === 'maxitems') {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1)
        throw invalid(line, `max=${value}: expected a whole number of items, e.g. max=20`);
      source.maxItems = n;
    } else if (key === 'include' || key === 'exclude') {
      const words = value
        .split(',')
        .map((w) => w.trim())
        .filter(Boolean);
      if (words.length === 0) throw invalid(line, `${key}= needs at least one keyword, e.g. ${key}=kindle,ebook`);
      source[key] = words;
    } else {
      throw invalid(line, `unknown option "${key}": expected title=, full=, max=, include= or exclude=`);
    }
  }
  if (titleWords.length > 0 && source.title === undefined) source.title = titleWords.join(' ');
  return source;
}

function tokenize(content: string, line: number): string[] {
  const tokens: string[] = [];
  const re = /([^\s"]*)"([^"]*)"|([^\s"]*)"|(\S+)/g;
  for (let m = re.exec(content); m; m = re.exec(content)) {
    if (m[3] !== undefined) throw invalid(line, 'a quote is not closed');
    tokens.push(m[4] ?? `${m[1]}${m[2]}`);
  }
  return tokens;
}

function toUrl(value: string, line: number, options: ReadFeedListOptions): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch (cause) {
      throw invalid(line, `"${value}" is not a valid URL`, cause);
    }
    if (!['http:', 'https:', 'file:'].includes(url.protocol)) {
      throw invalid(line, `${url.protocol} URLs are not supported: use http://, https://, file:// or a local path`);
    }
    return url.toString();
  }
  if (/^[a-z][a-z0-9+.-]*:[^\\]/i.test(value) && !/^[a-z]:[\\/]/i.test(value)) {
    throw invalid(line, `"${value}" is not a valid URL: expected http://, https://, file:// or a local path`);
  }
  const path = isAbsolute(value) ? value : resolve(options.baseDir ?? '.', value);
  return pathToFileURL(path).toString();
}

function invalid(line: number, what: string, cause?: unknown): FeedError {
  return new FeedError('FEED_LIST_INVALID', `feed list line ${line}: ${what}`, { line, cause });
}

function readOpml(text: string, options: ReadFeedListOptions): FeedSource[] {
  if (!/<\/opml\s*>/i.test(text)) throw invalid(lineOf(text, text.length), 'the OPML document is not closed (</opml>)');
  const sources: FeedSource[] = [];
  const re = /<outline\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const attrs = readAttributes(m[1]!);
    const xmlUrl = attrs.xmlurl ?? attrs.url;
    if (!xmlUrl || (attrs.type && !/rss|atom|feed|json/i.test(attrs.type) && !attrs.xmlurl)) continue;
    const line = lineOf(text, m.index);
    const source: FeedSource = { url: toUrl(xmlUrl.trim(), line, options), line };
    const title = attrs.title ?? attrs.text;
    if (title) source.title = title;
    sources.push(source);
  }
  return sources;
}

function readAttributes(raw: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const re = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) attrs[m[1]!.toLowerCase()] = decodeHTML(m[2] ?? m[3] ?? '');
  return attrs;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Writes sources as OPML 2.0, the format every feed reader imports. */
export function toOpml(sources: FeedSource[], title = 'news2kindle feeds'): string {
  const outlines = sources.map((s) => {
    const name = escapeXml(s.title ?? s.url);
    return `    <outline type="rss" text="${name}" title="${name}" xmlUrl="${escapeXml(s.url)}"/>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>${escapeXml(title)}</title>
  </head>
  <body>
${outlines.join('\n')}
  </body>
</opml>
`;
}

/** Writes sources as feeds.txt lines that readFeedList reads back to the same sources. */
export function toFeedsTxt(sources: FeedSource[]): string {
  const quote = (v: string) => (/[\s"#]/.test(v) ? `"${v.replace(/"/g, "'")}"` : v);
  const lines = sources.map((s) => {
    const parts = [s.url];
    if (s.title) parts.push(`title=${quote(s.title)}`);
    if (s.fullText && s.fullText !== 'auto') parts.push(`full=${s.fullText}`);
    if (s.maxItems) parts.push(`max=${s.maxItems}`);
    if (s.include?.length) parts.push(`include=${quote(s.include.join(','))}`);
    if (s.exclude?.length) parts.push(`exclude=${quote(s.exclude.join(','))}`);
    return parts.join(' ');
  });
  return `# news2kindle feeds: one per line — URL [title] [title=".."] [full=auto|always|never] [max=N] [include=a,b] [exclude=a,b]\n${lines.join('\n')}\n`;
}
