import { decodeHTML } from 'entities';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Makes feed XML safe and strict-parser friendly before it reaches rss-parser (xml2js/sax):
 * - the DOCTYPE is removed, so no DTD or external entity is ever loaded and no internal entity
 *   is expanded (billion laughs has nothing to grow from);
 * - HTML named entities (`&nbsp;`, `&eacute;`), which real feeds use without declaring them,
 *   become numeric references; unknown names become literal text (`&amp;name;`);
 * - a bare `&` that starts no reference becomes `&amp;`;
 * - characters XML 1.0 forbids (control characters) are dropped.
 * CDATA sections are left untouched. Each entity is decoded exactly once, later, by the parser.
 */
export function prepareXml(text: string): string {
  let out = text.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  out = stripDoctype(out);
  // A document cut just before its last '>' (a truncated download) loses nothing else.
  out = out.replace(/<\/([\w:.-]+)\s*$/, '</$1>');
  // Control characters are not allowed anywhere in XML 1.0, even in CDATA.
  out = out.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, '');
  return mapOutsideCdata(out, fixEntities);
}

function stripDoctype(text: string): string {
  const start = text.search(/<!DOCTYPE/i);
  if (start < 0 || start > 4096) return text;
  // An internal subset in [...] may contain '>' — skip to the matching ']' first.
  let i = start + 9;
  let depth = 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === '>' && depth <= 0) break;
  }
  return text.slice(0, start) + text.slice(i + 1);
}

function mapOutsideCdata(text: string, fn: (s: string) => string): string {
  const parts: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf('<![CDATA[', pos);
    if (open < 0) break;
    const close = text.indexOf(']]>', open + 9);
    if (close < 0) break;
    parts.push(fn(text.slice(pos, open)), text.slice(open, close + 3));
    pos = close + 3;
  }
  parts.push(fn(text.slice(pos)));
  return parts.join('');
}

function fixEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+;|#[0-9]+;|[a-z][a-z0-9]*;?)?/gi, (match, ref: string | undefined) => {
    if (!ref) return '&amp;';
    if (ref.startsWith('#')) return validCodePoint(ref) ? match : '';
    const name = ref.endsWith(';') ? ref.slice(0, -1) : ref;
    if (!ref.endsWith(';')) return `&amp;${ref}`;
    if (XML_ENTITIES.has(name)) return match;
    const decoded = decodeHTML(match);
    if (decoded === match) return `&amp;${ref}`;
    return Array.from(decoded, (ch) => `&#${ch.codePointAt(0)};`).join('');
  });
}

function validCodePoint(ref: string): boolean {
  const n = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
  if (!Number.isFinite(n) || n > 0x10ffff) return false;
  return (
    n === 0x9 || n === 0xa || n === 0xd || (n >= 0x20 && n <= 0xd7ff) || (n >= 0xe000 && n <= 0xfffd) || n >= 0x10000
  );
}
