import { createRequire } from 'node:module';

// iconv-lite and chardet cost ~10 MB of memory once loaded, and most feeds and pages are UTF-8,
// which the built-in decoder handles: they are required (synchronously) on first legacy input only.
const require = createRequire(import.meta.url);
const iconv = () => require('iconv-lite') as typeof import('iconv-lite');
const chardet = () => require('chardet') as typeof import('chardet');
const UTF8_NAMES = new Set(['utf-8', 'utf8']);

/** Decodes with the built-in decoder when the encoding is UTF-8, else with iconv-lite. */
function decodeAs(bytes: Uint8Array, encoding: string): string {
  if (UTF8_NAMES.has(encoding)) return new TextDecoder('utf-8').decode(bytes);
  return iconv().decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}

export interface Decoded {
  text: string;
  /** The encoding used, lower case. */
  encoding: string;
  /** Set when a declared encoding was overruled by the bytes. */
  warning?: string;
}

const LATIN_FAMILY = new Set(['us-ascii', 'ascii', 'iso-8859-1', 'latin1', 'windows-1252', 'cp1252', 'iso-8859-15']);

/** The charset parameter of a Content-Type header, lower case, or undefined. */
export function charsetOf(contentType: string | undefined): string | undefined {
  const m = contentType && /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType);
  return m ? m[1]!.toLowerCase() : undefined;
}

function bomOf(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', length: 4 };
  if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return { encoding: 'utf-32le', length: 4 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', length: 2 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', length: 2 };
  return undefined;
}

/** UTF-16/32 without a BOM, told apart by where the zero bytes of `<` fall. */
function wideWithoutBom(bytes: Uint8Array): string | undefined {
  const [a, b, c, d] = bytes;
  if (a === 0 && b === 0 && c === 0 && d === 0x3c) return 'utf-32be';
  if (a === 0x3c && b === 0 && c === 0 && d === 0) return 'utf-32le';
  if (a === 0 && b === 0x3c) return 'utf-16be';
  if (a === 0x3c && b === 0) return 'utf-16le';
  return undefined;
}

/** The encoding named in `<?xml ... encoding="..."?>` or an HTML `<meta charset>`, read as ASCII. */
function declaredInDocument(bytes: Uint8Array, html: boolean): string | undefined {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 2048)).toString('latin1');
  const xml = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (xml) return xml[1]!.toLowerCase();
  if (html) {
    const meta =
      /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head) ??
      /<meta[^>]+content\s*=\s*["'][^"']*charset=([\w-]+)/i.exec(head);
    if (meta) return meta[1]!.toLowerCase();
  }
  return undefined;
}

/** True when the bytes are valid UTF-8 and contain at least one multi-byte sequence. */
function looksLikeUtf8(bytes: Uint8Array): { valid: boolean; multibyte: boolean } {
  let multibyte = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b < 0x80) continue;
    let n: number;
    if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) n = 2;
    else if (b >= 0xf0 && b <= 0xf4) n = 3;
    else return { valid: false, multibyte };
    // A sequence cut by the end of a capped body is still UTF-8.
    for (let k = 1; k <= n; k++) {
      if (i + k >= bytes.length) return { valid: true, multibyte: true };
      if ((bytes[i + k]! & 0xc0) !== 0x80) return { valid: false, multibyte };
    }
    multibyte = true;
    i += n;
  }
  return { valid: true, multibyte };
}

/**
 * Statistical detection for bytes that are not UTF-8 and carry no usable label. CJK and Cyrillic
 * encodings are recognised confidently; anything unsure falls back to windows-1252, the most
 * common unlabelled legacy encoding on the web.
 */
function detectLegacy(bytes: Uint8Array): string {
  const sample = bytes.byteLength > 65_536 ? bytes.subarray(0, 65_536) : bytes;
  const [best] = chardet().analyse(sample);
  const name = best && best.confidence >= 30 ? normalise(best.name) : undefined;
  return name && !LATIN_FAMILY.has(name) ? name : 'windows-1252';
}

function normalise(name: string): string | undefined {
  const lower = name.trim().toLowerCase();
  // GB2312 and GBK documents routinely use GB18030 characters: decode with the superset.
  const alias: Record<string, string> = {
    gb2312: 'gb18030',
    gbk: 'gb18030',
    'x-gbk': 'gb18030',
    'x-sjis': 'shift_jis',
    ascii: 'us-ascii',
  };
  const target = alias[lower] ?? lower;
  if (lower === 'utf-16' || lower === 'utf-32') return lower;
  if (UTF8_NAMES.has(target) || LATIN_FAMILY.has(target)) return target;
  return iconv().encodingExists(target) ? target : undefined;
}

/**
 * Decodes feed or page bytes: BOM, then the HTTP charset, then the in-document declaration,
 * then detection (UTF-8 if valid, else chardet's statistical guess, else windows-1252). A declared single-byte Latin encoding on
 * bytes that are valid multi-byte UTF-8, or a declared UTF-8 on bytes that are not, is overruled
 * by the bytes — the common server misconfigurations that produce mojibake.
 */
export function decodeBytes(bytes: Uint8Array, contentType?: string, html = false): Decoded {
  const bom = bomOf(bytes);
  if (bom) return { text: decodeAs(bytes.subarray(bom.length), bom.encoding), encoding: bom.encoding };
  const wide = wideWithoutBom(bytes);
  const declaredHeader = charsetOf(contentType);
  const declaredDoc = wide ? undefined : declaredInDocument(bytes, html);
  const declared = declaredHeader ?? declaredDoc;
  let encoding = wide ?? (declared ? normalise(declared) : undefined);
  let warning: string | undefined;
  if (encoding === 'utf-16' || encoding === 'utf-32') encoding = wide ?? `${encoding}le`;
  if (
    wide &&
    declared &&
    !declared.startsWith('utf-16') &&
    !declared.startsWith('utf-32') &&
    !declared.startsWith('ucs')
  ) {
    warning = `declared ${declared} but the bytes are ${wide}`;
  }
  if (!encoding || encoding === 'utf-8' || encoding === 'utf8' || LATIN_FAMILY.has(encoding)) {
    const utf8 = looksLikeUtf8(bytes);
    if (utf8.valid && (utf8.multibyte || !encoding)) {
      if (encoding && encoding !== 'utf-8' && encoding !== 'utf8' && utf8.multibyte) {
        warning = `declared ${declared} but the bytes are UTF-8`;
      }
      encoding = 'utf-8';
    } else if (!utf8.valid) {
      if (encoding === 'utf-8' || encoding === 'utf8') warning = `declared ${declared} but the bytes are not UTF-8`;
      // A Latin label on non-UTF-8 bytes is believed; no label or a false UTF-8 one is detected.
      if (!encoding || !LATIN_FAMILY.has(encoding)) encoding = detectLegacy(bytes);
    }
  }
  if (declared && !normalise(declared) && !warning) warning = `unknown encoding "${declared}"`;
  // Latin-1 and ASCII labels mean windows-1252 in practice (the WHATWG rule).
  const finalEncoding = encoding && LATIN_FAMILY.has(encoding) ? 'windows-1252' : (encoding ?? 'utf-8');
  const result: Decoded = {
    text: decodeAs(bytes, finalEncoding),
    encoding: encoding ?? 'utf-8',
  };
  if (warning) result.warning = warning;
  return result;
}
