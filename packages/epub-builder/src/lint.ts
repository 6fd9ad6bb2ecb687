import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { EpubError } from './errors.js';
import { sniffImage } from './sniff.js';
import type { KindleFinding } from './types.js';
import { type ZipEntryInfo, readZip } from './unzip.js';
import { checkXml } from './xml-check.js';
import { isLanguageTag } from './xml.js';

/** Send to Kindle's limit for one message, which is the most a book can be. */
export const KINDLE_MAX_BYTES = 50 * 1024 * 1024;
const MAX_ENTRY_BYTES = 10 * 1024 * 1024;

function decodeAttr(value: string): string {
  return value
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(Number.parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}

function attrsOf(tag: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of tag.matchAll(/([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g))
    map.set(m[1]!, decodeAttr(m[3] ?? m[4] ?? ''));
  return map;
}

/**
 * Checks a built EPUB against every Kindle rule in KINDLE.md: mimetype, language, UTF-8
 * declarations, well-formed XHTML without `--` in comments, images with `src`, manifest references,
 * fragment targets, NCX order equal to spine order, no WebP, sizes. Returns findings (empty: fine).
 */
export async function lintKindle(epubPath: string): Promise<KindleFinding[]> {
  const findings: KindleFinding[] = [];
  const add = (rule: string, message: string, file?: string) =>
    findings.push({ rule, message, ...(file ? { file } : {}) });
  let entries: ZipEntryInfo[];
  let bytes: number;
  try {
    bytes = (await stat(epubPath)).size;
    entries = await readZip(epubPath);
  } catch (error) {
    throw new EpubError('NOT_AN_EPUB', `${epubPath} is not a readable zip: ${(error as Error).message}`, {
      cause: error,
      path: epubPath,
    });
  }
  if (bytes > KINDLE_MAX_BYTES)
    add('size', `The book is ${bytes} bytes; Send to Kindle takes at most ${KINDLE_MAX_BYTES}: split it into volumes`);
  const byName = new Map(entries.map((e) => [e.name, e]));
  const first = entries.find((e) => e.index === 0);
  if (first?.name !== 'mimetype') add('mimetype', 'The first zip entry must be "mimetype"', 'mimetype');
  else {
    if (first.compressionMethod !== 0) add('mimetype', 'mimetype must be stored, not compressed', 'mimetype');
    if (first.extraFieldLength !== 0) add('mimetype', 'mimetype must have no extra field', 'mimetype');
    if (first.data.toString('latin1') !== 'application/epub+zip')
      add('mimetype', 'mimetype must contain exactly application/epub+zip', 'mimetype');
  }
  for (const e of entries)
    if (e.size > MAX_ENTRY_BYTES) add('size', `${e.size} bytes in one file; very large files are rejected`, e.name);

  const container = byName.get('META-INF/container.xml')?.data.toString('utf8');
  const opfPath = container && /full-path="([^"]+)"/.exec(container)?.[1];
  const opfEntry = opfPath ? byName.get(opfPath) : undefined;
  if (!opfPath || !opfEntry) {
    add('manifest', 'META-INF/container.xml does not name a package document that exists', 'META-INF/container.xml');
    return findings;
  }
  const root = posix.dirname(opfPath) === '.' ? '' : `${posix.dirname(opfPath)}/`;
  const opfText = opfEntry.data.toString('utf8');

  // Every text file: UTF-8 that decodes, an XML declaration naming UTF-8, well-formed, no "--" in comments.
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const e of entries) {
    if (!/\.(xhtml|html|htm|opf|ncx)$/i.test(e.name) && e.name !== 'META-INF/container.xml') continue;
    let text: string;
    try {
      text = decoder.decode(e.data);
    } catch {
      add('encoding', 'The file is not valid UTF-8', e.name);
      continue;
    }
    const decl = /^<\?xml\s[^?]*\?>/.exec(text);
    if (!decl) add('encoding', 'No XML declaration: Kindle then assumes ISO-8859-1', e.name);
    else if (!/encoding\s*=\s*["']utf-8["']/i.test(decl[0]))
      add('encoding', 'The XML declaration must name encoding="UTF-8"', e.name);
    const charset = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(text);
    if (charset && charset[1]!.toLowerCase() !== 'utf-8') add('encoding', `A meta charset says ${charset[1]}`, e.name);
    for (const problem of checkXml(text)) add(problem.rule, problem.message, e.name);
  }

  // Package: language, manifest, spine.
  const language = /<dc:language[^>]*>([^<]*)<\/dc:language>/.exec(opfText)?.[1]?.trim();
  if (!language) add('language', 'dc:language is missing', opfPath);
  else if (!isLanguageTag(language) || language.toLowerCase() === 'und')
    add('language', `dc:language "${language}" is not a usable BCP 47 tag`, opfPath);
  const manifest = new Map<string, { href: string; type: string; path: string }>();
  for (const m of opfText.matchAll(/<item\s[^>]*\/?>/g)) {
    const a = attrsOf(m[0]);
    const href = a.get('href') ?? '';
    const path = posix.normalize(root + href.split('#')[0]);
    manifest.set(a.get('id') ?? '', { href, type: a.get('media-type') ?? '', path });
    if (!byName.has(path)) add('manifest', `The manifest lists ${href}, which is not in the book`, opfPath);
  }
  const manifestPaths = new Map([...manifest.values()].map((m) => [m.path, m]));
  const spine = [...opfText.matchAll(/<itemref\s[^>]*idref="([^"]+)"/g)].map((m) => manifest.get(m[1]!)?.path ?? '');

  // Images: declared type agrees with the bytes, no WebP.
  for (const m of manifest.values()) {
    if (!m.type.startsWith('image/')) continue;
    if (m.type === 'image/webp') add('webp', 'WebP images show as "?" on Kindle: convert to JPEG or PNG', m.path);
    const e = byName.get(m.path);
    const sniffed = e && sniffImage(e.data);
    if (e && sniffed === 'webp') add('webp', 'The image bytes are WebP', m.path);
    if (e && sniffed !== 'svg' && sniffed && `image/${sniffed}` !== m.type)
      add('image-type', `Declared ${m.type}, the bytes are ${sniffed}`, m.path);
  }

  // Content: img src, references in the manifest, fragments that exist; CJK text needs a CJK language.
  const ids = new Map<string, Set<string>>();
  const docs = entries.filter((e) => /\.x?html?$/i.test(e.name));
  for (const e of docs)
    ids.set(e.name, new Set([...e.data.toString('utf8').matchAll(/\sid="([^"]*)"/g)].map((m) => decodeAttr(m[1]!))));
  let cjk = 0;
  let letters = 0;
  for (const e of docs) {
    const text = e.data.toString('utf8');
    const dir = posix.dirname(e.name);
    for (const m of text.matchAll(/<img\b[^>]*>/g)) {
      const src = attrsOf(m[0]).get('src');
      if (!src) add('img-src', '<img> without src', e.name);
      else if (!/^[a-z]+:/i.test(src) && !manifestPaths.has(posix.normalize(posix.join(dir, src)))) {
        add('manifest', `<img src="${src}"> is not in the manifest`, e.name);
      }
    }
    for (const m of text.matchAll(/<(a|link)\b[^>]*>/g)) {
      const href = attrsOf(m[0]).get('href');
      if (!href || /^[a-z][a-z0-9+.-]*:/i.test(href)) continue;
      const [file = '', fragment] = href.split('#');
      const target = file ? posix.normalize(posix.join(dir, safeDecode(file))) : e.name;
      if (file && !manifestPaths.has(target)) add('manifest', `Link to ${href}, which is not in the manifest`, e.name);
      else if (fragment !== undefined && !ids.get(target)?.has(safeDecode(fragment)))
        add('fragment', `Link to ${href}: no such id`, e.name);
    }
    const body = text.replace(/<[^>]*>/g, '');
    cjk += body.match(/[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]/g)?.length ?? 0;
    letters += body.match(/\p{L}/gu)?.length ?? 0;
  }
  if (language && letters > 200 && cjk / letters > 0.3 && !/^(zh|ja|ko)\b/i.test(language)) {
    add(
      'language',
      `Most of the text is CJK but dc:language is "${language}": Kindle needs zh, ja or ko to render it`,
      opfPath,
    );
  }

  // NCX: present, every target in the spine, in spine order.
  const ncxItem = [...manifest.values()].find((m) => m.type === 'application/x-dtbncx+xml');
  const ncxEntry = ncxItem && byName.get(ncxItem.path);
  if (!ncxItem || !ncxEntry)
    add('ncx', "No NCX table of contents (older Kindles and Amazon's converter use it)", opfPath);
  else {
    const ncxDir = posix.dirname(ncxItem.path);
    let last = -1;
    for (const m of ncxEntry.data.toString('utf8').matchAll(/<content\s[^>]*src="([^"]+)"/g)) {
      const target = posix.normalize(posix.join(ncxDir, safeDecode(decodeAttr(m[1]!).split('#')[0]!)));
      const position = spine.indexOf(target);
      if (position < 0) add('spine-ncx-order', `The NCX points to ${m[1]}, which is not in the spine`, ncxItem.path);
      else if (position < last) add('spine-ncx-order', `The NCX lists ${m[1]} out of spine order`, ncxItem.path);
      else last = position;
    }
  }
  return findings;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
