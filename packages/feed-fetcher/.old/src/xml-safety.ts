import { decodeHTML } from 'entities';
import { FeedError } from './errors.js';

const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

/**
 * Makes feed XML safe and strict-parser friendly before it reaches rss-parser (xml2js/sax):
 * - the DOCTYPE is removed, so no DTD or external entity is ever loaded; internal entities it
 *   declares are expanded by us within a budget (billion laughs is refused);
 * - HTML named entities (`&nbsp;`, `&eacute;`), which real feeds use without declaring them,
 *   become numeric references; unknown names become literal text (`&amp;name;`);
 * - a bare `&` that starts no reference becomes `&amp;`;
 * - characters XML 1.0 forbids (control characters) are dropped.
 * CDATA sections are left untouched. Each entity is decoded exactly once, later, by the parser.
 */
export function prepareXml(text: string): string {
  let out = text.replace(/^\uFEFF/, '').replace(/^\s+/, '');
  const { text: withoutDoctype, entities } = stripDoctype(out);
  out = withoutDoctype;
  // A document cut just before its last '>' (a truncated download) loses nothing else.
  out = out.replace(/<\/([\w:.-]+)\s*$/, '</$1>');
  // Control characters are not allowed anywhere in XML 1.0, even in CDATA.
  out = out.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, '');
  const expand = expander(entities);
  return mapOutsideCdata(out, (part) => fixEntities(part, expand));
}

/** Total characters internal entities may expand to, and how deep they may nest. */
const MAX_EXPANSION = 100_000;
const MAX_DEPTH = 16;

/**
 * Expands internal entities declared in the DOCTYPE (`<!ENTITY id "tag:example.com,">`) within a
 * budget: a billion-laughs document runs out of budget after a few thousand characters and is
 * refused with FEED_MALFORMED. External (SYSTEM/PUBLIC) and parameter entities are never read.
 */
function expander(entities: Map<string, string>): (name: string) => string | undefined {
  let budget = MAX_EXPANSION;
  const expand = (name: string, depth: number): string | undefined => {
    const raw = entities.get(name);
    if (raw === undefined) return undefined;
    if (depth > MAX_DEPTH)
      throw new FeedError('FEED_MALFORMED', `entity &${name}; nests deeper than ${MAX_DEPTH} levels`);
    const out = raw.replace(/&([A-Za-z_][\w.-]*);/g, (match, inner: string) => expand(inner, depth + 1) ?? match);
    budget -= out.length;
    if (budget < 0) {
      throw new FeedError('FEED_MALFORMED', `entities expand beyond ${MAX_EXPANSION} characters (an entity bomb?)`);
    }
    return out;
  };
  return (name) => (entities.size ? expand(name, 0) : undefined);
}

function stripDoctype(text: string): { text: string; entities: Map<string, string> } {
  const entities = new Map<string, string>();
  const start = text.search(/<!DOCTYPE/i);
  if (start < 0 || start > 4096) return { text, entities };
  // An internal subset in [...] may contain '>' — skip to the matching ']' first.
  let i = start + 9;
  let depth = 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === '>' && depth <= 0) break;
  }
  const doctype = text.slice(start, i + 1);
  const re = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;
  for (let m = re.exec(doctype); m; m = re.exec(doctype)) {
    if (!entities.has(m[1]!)) entities.set(m[1]!, m[2] ?? m[3] ?? '');
  }
  return { text: text.slice(0, start) + text.slice(i + 1), entities };
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

function fixEntities(text: string, expand: (name: string) => string | undefined = () => undefined): string {
  return text.replace(/&(#x[0-9a-f]+;|#[0-9]+;|[a-z][a-z0-9]*;?)?/gi, (match, ref: string | undefined) => {
    if (!ref) return '&amp;';
    if (ref.startsWith('#')) return validCodePoint(ref) ? match : '';
    const name = ref.endsWith(';') ? ref.slice(0, -1) : ref;
    if (!ref.endsWith(';')) return `&amp;${ref}`;
    if (XML_ENTITIES.has(name)) return match;
    const declared = expand(name);
    if (declared !== undefined) return fixEntities(declared);
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
