// .old/src/dates.ts
var ZONES = {
  UT: "+0000",
  UTC: "+0000",
  GMT: "+0000",
  Z: "+0000",
  WET: "+0000",
  BST: "+0100",
  IST: "+0530",
  CET: "+0100",
  CEST: "+0200",
  MET: "+0100",
  MEST: "+0200",
  EET: "+0200",
  EEST: "+0300",
  MSK: "+0300",
  EST: "-0500",
  EDT: "-0400",
  CST: "-0600",
  CDT: "-0500",
  MST: "-0700",
  MDT: "-0600",
  PST: "-0800",
  PDT: "-0700",
  AKST: "-0900",
  AKDT: "-0800",
  HST: "-1000",
  JST: "+0900",
  KST: "+0900",
  HKT: "+0800",
  AEST: "+1000",
  AEDT: "+1100",
  ACST: "+0930",
  AWST: "+0800",
  NZST: "+1200",
  NZDT: "+1300"
};
var MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
function parseDate(value) {
  if (typeof value !== "string") return void 0;
  const text = value.trim().replace(/\s+/g, " ");
  if (!text) return void 0;
  return valid(parseIso(text)) ?? valid(parseRfc822(text)) ?? valid(fallback(text));
}
function valid(date) {
  if (!date || Number.isNaN(date.getTime())) return void 0;
  const year = date.getUTCFullYear();
  return year >= 1900 && year <= 2200 ? date : void 0;
}
function parseIso(text) {
  const m = /^(\d{4})-?(\d{2})(?:-?(\d{2}))?(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
    text
  );
  if (!m) return void 0;
  const [, y, mo, d = "01", h = "00", mi = "00", s = "00", frac = "0", zone] = m;
  const ms = Math.round(Number(`0.${frac}`) * 1e3);
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  return new Date(utc - offsetMinutes(zone) * 6e4);
}
function offsetMinutes(zone) {
  if (!zone || /^(Z|UTC|GMT)$/i.test(zone)) return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === "-" ? -minutes : minutes;
}
function parseRfc822(text) {
  const m = /^(?:[a-z]+,?\s*)?(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{2,4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([a-z]+|[+-]\d{2}:?\d{2})?/i.exec(
    text
  ) ?? /^(?:[a-z]+,?\s*)?(\d{1,2})[\s-]+([a-z]+)\.?[\s-]+(\d{2,4})\s*$/i.exec(text);
  if (!m) return void 0;
  const [, d, monthName, yearText, h = "0", mi = "0", s = "0", zoneText] = m;
  const month = MONTHS.indexOf(monthName.slice(0, 3).toLowerCase());
  if (month < 0) return void 0;
  let year = Number(yearText);
  if (yearText.length === 2) year += year < 50 ? 2e3 : 1900;
  let zone = zoneText?.toUpperCase();
  if (zone && ZONES[zone]) zone = ZONES[zone];
  const utc = Date.UTC(year, month, Number(d), Number(h), Number(mi), Number(s));
  return new Date(utc - offsetMinutes(zone && /^[+-]/.test(zone) ? zone : void 0) * 6e4);
}
function fallback(text) {
  const replaced = text.replace(/\b([A-Z]{2,4})\b/g, (zone) => ZONES[zone] ?? zone);
  const date = new Date(/(?:[+-]\d{4}|Z)\s*$/.test(replaced) ? replaced : `${replaced} UTC`);
  return Number.isNaN(date.getTime()) ? new Date(replaced) : date;
}

// .old/src/encoding.ts
import { createRequire } from "node:module";
var require2 = createRequire(import.meta.url);
var iconvModule;
var iconv = () => {
  iconvModule ??= require2("iconv-lite");
  return iconvModule;
};
var chardet = () => require2("chardet");
var UTF8_NAMES = /* @__PURE__ */ new Set(["utf-8", "utf8"]);
function decodeAs(bytes, encoding) {
  if (UTF8_NAMES.has(encoding)) return new TextDecoder("utf-8").decode(bytes);
  return iconv().decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), encoding);
}
var LATIN_FAMILY = /* @__PURE__ */ new Set(["us-ascii", "ascii", "iso-8859-1", "latin1", "windows-1252", "cp1252", "iso-8859-15"]);
function charsetOf(contentType) {
  const m = contentType && /;\s*charset\s*=\s*["']?([^"';\s]+)/i.exec(contentType);
  return m ? m[1].toLowerCase() : void 0;
}
function bomOf(bytes) {
  const [a, b, c, d] = bytes;
  if (a === 239 && b === 187 && c === 191) return { encoding: "utf-8", length: 3 };
  if (a === 0 && b === 0 && c === 254 && d === 255) return { encoding: "utf-32be", length: 4 };
  if (a === 255 && b === 254 && c === 0 && d === 0) return { encoding: "utf-32le", length: 4 };
  if (a === 254 && b === 255) return { encoding: "utf-16be", length: 2 };
  if (a === 255 && b === 254) return { encoding: "utf-16le", length: 2 };
  return void 0;
}
function wideWithoutBom(bytes) {
  const [a, b, c, d] = bytes;
  if (a === 0 && b === 0 && c === 0 && d === 60) return "utf-32be";
  if (a === 60 && b === 0 && c === 0 && d === 0) return "utf-32le";
  if (a === 0 && b === 60) return "utf-16be";
  if (a === 60 && b === 0) return "utf-16le";
  return void 0;
}
function declaredInDocument(bytes, html) {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 2048)).toString("latin1");
  const xml = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head);
  if (xml) return xml[1].toLowerCase();
  if (html) {
    const meta = /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head) ?? /<meta[^>]+content\s*=\s*["'][^"']*charset=([\w-]+)/i.exec(head);
    if (meta) return meta[1].toLowerCase();
  }
  return void 0;
}
function looksLikeUtf8(bytes) {
  let multibyte = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 128) continue;
    let n;
    if (b >= 194 && b <= 223) n = 1;
    else if (b >= 224 && b <= 239) n = 2;
    else if (b >= 240 && b <= 244) n = 3;
    else return { valid: false, multibyte };
    for (let k = 1; k <= n; k++) {
      if (i + k >= bytes.length) return { valid: true, multibyte: true };
      if ((bytes[i + k] & 192) !== 128) return { valid: false, multibyte };
    }
    multibyte = true;
    i += n;
  }
  return { valid: true, multibyte };
}
function detectLegacy(bytes) {
  const sample = bytes.byteLength > 65536 ? bytes.subarray(0, 65536) : bytes;
  const [best] = chardet().analyse(sample);
  const name = best && best.confidence >= 30 ? normalise(best.name) : void 0;
  return name && !LATIN_FAMILY.has(name) ? name : "windows-1252";
}
function normalise(name) {
  const lower = name.trim().toLowerCase();
  const alias = {
    gb2312: "gb18030",
    gbk: "gb18030",
    "x-gbk": "gb18030",
    "x-sjis": "shift_jis",
    ascii: "us-ascii"
  };
  const target = alias[lower] ?? lower;
  if (lower === "utf-16" || lower === "utf-32") return lower;
  if (UTF8_NAMES.has(target) || LATIN_FAMILY.has(target)) return target;
  return iconv().encodingExists(target) ? target : void 0;
}
function decodeBytes(bytes, contentType, html = false) {
  const bom = bomOf(bytes);
  if (bom) return { text: decodeAs(bytes.subarray(bom.length), bom.encoding), encoding: bom.encoding };
  const wide = wideWithoutBom(bytes);
  const declaredHeader = charsetOf(contentType);
  const declaredDoc = wide ? void 0 : declaredInDocument(bytes, html);
  const declared = declaredHeader ?? declaredDoc;
  let encoding = wide ?? (declared ? normalise(declared) : void 0);
  let warning;
  if (encoding === "utf-16" || encoding === "utf-32") encoding = wide ?? `${encoding}le`;
  if (wide && declared && !declared.startsWith("utf-16") && !declared.startsWith("utf-32") && !declared.startsWith("ucs")) {
    warning = `declared ${declared} but the bytes are ${wide}`;
  }
  if (!encoding || encoding === "utf-8" || encoding === "utf8" || LATIN_FAMILY.has(encoding)) {
    const utf8 = looksLikeUtf8(bytes);
    if (utf8.valid && (utf8.multibyte || !encoding)) {
      if (encoding && encoding !== "utf-8" && encoding !== "utf8" && utf8.multibyte) {
        warning = `declared ${declared} but the bytes are UTF-8`;
      }
      encoding = "utf-8";
    } else if (!utf8.valid) {
      if (encoding === "utf-8" || encoding === "utf8") warning = `declared ${declared} but the bytes are not UTF-8`;
      if (!encoding || !LATIN_FAMILY.has(encoding)) encoding = detectLegacy(bytes);
    }
  }
  if (declared && !normalise(declared) && !warning) warning = `unknown encoding "${declared}"`;
  const finalEncoding = encoding && LATIN_FAMILY.has(encoding) ? "windows-1252" : encoding ?? "utf-8";
  const result = {
    text: decodeAs(bytes, finalEncoding),
    encoding: encoding ?? "utf-8"
  };
  if (warning) result.warning = warning;
  return result;
}

// .old/src/urls.ts
function resolveUrl(value, base) {
  if (value === void 0) return void 0;
  const trimmed = value.trim();
  if (!trimmed) return void 0;
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return trimmed;
  try {
    return new URL(trimmed, base).toString();
  } catch {
    return trimmed;
  }
}
function isHttpUrl(value) {
  return !!value && /^https?:\/\//i.test(value);
}
var ATTR = /(\s(?:href|src|poster|data-src|data-original)\s*=\s*)("([^"]*)"|'([^']*)')/gi;
var SRCSET = /(\ssrcset\s*=\s*)("([^"]*)"|'([^']*)')/gi;
function absolutizeHtml(html, base) {
  if (!base || !/^(https?|file):/i.test(base)) return html;
  const fix = (url) => {
    const decoded = url.replace(/&amp;/g, "&");
    if (!decoded || decoded.startsWith("#") || /^[a-z][a-z0-9+.-]*:/i.test(decoded)) return url;
    const resolved = resolveUrl(decoded, base) ?? decoded;
    return resolved.replace(/&/g, "&amp;").replace(/"/g, "%22");
  };
  return html.replace(ATTR, (_m, prefix, _q, dq, sq) => `${prefix}"${fix(dq ?? sq ?? "")}"`).replace(SRCSET, (_m, prefix, _q, dq, sq) => {
    const list = (dq ?? sq ?? "").split(",").map((part) => {
      const [url = "", ...rest] = part.trim().split(/\s+/);
      return [fix(url), ...rest].join(" ");
    }).join(", ");
    return `${prefix}"${list}"`;
  });
}

// .old/src/discover.ts
var FEED_TYPES = /^application\/(rss|atom|feed|rdf)\+(xml|json)$|^application\/(rss|atom)$|^application\/json$/i;
function discoverFeedLinks(page, pageUrl, contentType) {
  const html = typeof page === "string" ? page : decodeBytes(page, contentType, true).text;
  const head = html.slice(0, 2e5);
  const found = [];
  for (const match of head.matchAll(/<link\b[^>]*>/gi)) {
    const tag = match[0];
    const attr2 = (name) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, "i").exec(tag)?.slice(1).find((v) => v !== void 0);
    const rel = attr2("rel")?.toLowerCase().split(/\s+/) ?? [];
    const type = attr2("type")?.trim() ?? "";
    const href = attr2("href");
    if (!rel.includes("alternate") || !FEED_TYPES.test(type) || !href) continue;
    const url = resolveUrl(href.replace(/&amp;/g, "&"), pageUrl);
    if (url && /^https?:/i.test(url) && !found.includes(url)) found.push(url);
  }
  return found;
}

// .old/src/errors.ts
var FeedError = class extends Error {
  name = "FeedError";
  code;
  /** The feed or page URL, with any credentials removed. */
  url;
  /** The HTTP status, for HTTP_STATUS. */
  status;
  /** The 1-based line of a feeds.txt, for FEED_LIST_INVALID. */
  line;
  constructor(code, message, options = {}) {
    const safe = message.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/\s@]+@/gi, "$1");
    super(safe, options.cause === void 0 ? void 0 : { cause: options.cause });
    this.code = code;
    if (options.url !== void 0) this.url = redactUrl(options.url);
    if (options.status !== void 0) this.status = options.status;
    if (options.line !== void 0) this.line = options.line;
  }
};
function redactUrl(url) {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = "";
    parsed.password = "";
    return parsed.toString();
  } catch {
    return url;
  }
}
function toFeedError(error, code, url) {
  if (error instanceof FeedError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new FeedError(code, `${message}${url ? ` (${redactUrl(url)})` : ""}`, { cause: error, url });
}

// .old/src/feed-list.ts
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { decodeHTML } from "entities";
var MODES = /* @__PURE__ */ new Set(["auto", "always", "never"]);
function readFeedList(text, options = {}) {
  const body = text.replace(/^\uFEFF/, "");
  if (/^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<opml[\s>]/i.test(body)) return readOpml(body, options);
  const sources = [];
  body.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = index + 1;
    const content = stripComment(raw).trim();
    if (content) sources.push(parseLine(content, line, options));
  });
  return sources;
}
function stripComment(raw) {
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i];
    if (ch === '"') quoted = !quoted;
    else if (ch === "#" && !quoted && (i === 0 || /\s/.test(raw[i - 1]))) return raw.slice(0, i);
  }
  return raw;
}
function parseLine(content, line, options) {
  const tokens = tokenize(content, line);
  const first2 = tokens.shift();
  const source = { url: toUrl(first2, line, options), line };
  const titleWords = [];
  for (const token of tokens) {
    const match = /^([a-z][a-z-]*)=(.*)$/is.exec(token);
    if (!match) {
      titleWords.push(token);
      continue;
    }
    const key = match[1].toLowerCase();
    const value = match[2];
    if (key === "title") source.title = value;
    else if (key === "full" || key === "fulltext") {
      if (!MODES.has(value)) throw invalid(line, `full=${value}: expected full=auto, full=always or full=never`);
      source.fullText = value;
    } else if (key === "max" || key === "maxitems") {
      const n = Number(value);
      if (!Number.isInteger(n) || n < 1)
        throw invalid(line, `max=${value}: expected a whole number of items, e.g. max=20`);
      source.maxItems = n;
    } else if (key === "include" || key === "exclude") {
      const words = value.split(",").map((w) => w.trim()).filter(Boolean);
      if (words.length === 0) throw invalid(line, `${key}= needs at least one keyword, e.g. ${key}=kindle,ebook`);
      source[key] = words;
    } else {
      throw invalid(line, `unknown option "${key}": expected title=, full=, max=, include= or exclude=`);
    }
  }
  if (titleWords.length > 0 && source.title === void 0) source.title = titleWords.join(" ");
  return source;
}
function tokenize(content, line) {
  const tokens = [];
  const re = /([^\s"]*)"([^"]*)"|([^\s"]*)"|(\S+)/g;
  for (let m = re.exec(content); m; m = re.exec(content)) {
    if (m[3] !== void 0) throw invalid(line, "a quote is not closed");
    tokens.push(m[4] ?? `${m[1]}${m[2]}`);
  }
  return tokens;
}
function toUrl(value, line, options) {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    let url;
    try {
      url = new URL(value);
    } catch (cause) {
      throw invalid(line, `"${value}" is not a valid URL`, cause);
    }
    if (!["http:", "https:", "file:"].includes(url.protocol)) {
      throw invalid(line, `${url.protocol} URLs are not supported: use http://, https://, file:// or a local path`);
    }
    return url.toString();
  }
  if (/^[a-z][a-z0-9+.-]*:[^\\]/i.test(value) && !/^[a-z]:[\\/]/i.test(value)) {
    throw invalid(line, `"${value}" is not a valid URL: expected http://, https://, file:// or a local path`);
  }
  const path = isAbsolute(value) ? value : resolve(options.baseDir ?? ".", value);
  return pathToFileURL(path).toString();
}
function invalid(line, what, cause) {
  return new FeedError("FEED_LIST_INVALID", `feed list line ${line}: ${what}`, { line, cause });
}
function readOpml(text, options) {
  if (!/<\/opml\s*>/i.test(text)) throw invalid(lineOf(text, text.length), "the OPML document is not closed (</opml>)");
  const sources = [];
  const re = /<outline\b((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const attrs = readAttributes(m[1]);
    const xmlUrl = attrs.xmlurl ?? attrs.url;
    if (!xmlUrl || attrs.type && !/rss|atom|feed|json/i.test(attrs.type) && !attrs.xmlurl) continue;
    const line = lineOf(text, m.index);
    const source = { url: toUrl(xmlUrl.trim(), line, options), line };
    const title = attrs.title ?? attrs.text;
    if (title) source.title = title;
    sources.push(source);
  }
  return sources;
}
function readAttributes(raw) {
  const attrs = {};
  const re = /([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (let m = re.exec(raw); m; m = re.exec(raw)) attrs[m[1].toLowerCase()] = decodeHTML(m[2] ?? m[3] ?? "");
  return attrs;
}
function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
var escapeXml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
function toOpml(sources, title = "news2kindle feeds") {
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
${outlines.join("\n")}
  </body>
</opml>
`;
}
function toFeedsTxt(sources) {
  const quote = (v) => /[\s"#]/.test(v) ? `"${v.replace(/"/g, "'")}"` : v;
  const lines = sources.map((s) => {
    const parts = [s.url];
    if (s.title) parts.push(`title=${quote(s.title)}`);
    if (s.fullText && s.fullText !== "auto") parts.push(`full=${s.fullText}`);
    if (s.maxItems) parts.push(`max=${s.maxItems}`);
    if (s.include?.length) parts.push(`include=${quote(s.include.join(","))}`);
    if (s.exclude?.length) parts.push(`exclude=${quote(s.exclude.join(","))}`);
    return parts.join(" ");
  });
  return `# news2kindle feeds: one per line \u2014 URL [title] [title=".."] [full=auto|always|never] [max=N] [include=a,b] [exclude=a,b]
${lines.join("\n")}
`;
}

// .old/src/full-text.ts
import { createRequire as createRequire2 } from "node:module";
var PLACEHOLDER = /^data:image\/(gif|png|svg)|spacer|blank\.(gif|png)|placeholder|lazy|1x1/i;
var LAZY_ATTRS = ["data-src", "data-original", "data-lazy-src", "data-url", "data-hi-res-src", "data-full-src"];
var require3 = createRequire2(import.meta.url);
var parseHTML = (...args) => require3("linkedom").parseHTML(...args);
var loadReadability = () => require3("@mozilla/readability").Readability;
function bestFromSrcset(srcset) {
  let best;
  let bestSize = -1;
  for (const part of srcset.split(/,\s+(?=\S)/)) {
    const [url, descriptor = "1x"] = part.trim().split(/\s+/);
    if (!url) continue;
    const size = Number.parseFloat(descriptor) || 1;
    if (size > bestSize) {
      best = url;
      bestSize = size;
    }
  }
  return best;
}
function fixLazyImages(document) {
  for (const noscript of Array.from(document.querySelectorAll("noscript"))) {
    const markup = noscript.innerHTML || noscript.textContent || "";
    if (!/<img\b/i.test(markup)) continue;
    const prev = noscript.previousElementSibling;
    if (prev && prev.tagName === "IMG" && (!prev.getAttribute("src") || PLACEHOLDER.test(prev.getAttribute("src") ?? ""))) {
      prev.replaceWith();
    }
    const holder = noscript;
    const { document: inner } = parseHTML(`<!DOCTYPE html><html><body>${markup}</body></html>`);
    const img = inner.querySelector("img");
    if (img) holder.replaceWith(img);
  }
  for (const img of Array.from(document.querySelectorAll("img, source"))) {
    const src = img.getAttribute("src") ?? "";
    const lazy = LAZY_ATTRS.map((a) => img.getAttribute(a)).find((v) => !!v && !v.startsWith("data:"));
    const srcset = img.getAttribute("data-srcset") ?? img.getAttribute("srcset") ?? "";
    const fromSet = srcset ? bestFromSrcset(srcset) : void 0;
    if (!src || PLACEHOLDER.test(src)) {
      const real = lazy ?? fromSet;
      if (real) img.setAttribute("src", real);
    }
    if (img.getAttribute("data-srcset") && !img.getAttribute("srcset")) img.setAttribute("srcset", srcset);
  }
}
function withoutDeadWeight(html) {
  return html.replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, "").replace(/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi, "").replace(/<!--[\s\S]*?-->/g, "").replace(/<svg\b[^>]*>[\s\S]*?<\/svg\s*>/gi, "");
}
function extractFullText(html, url) {
  let document;
  try {
    ({ document } = parseHTML(withoutDeadWeight(html)));
  } catch (cause) {
    throw new FeedError("FULL_TEXT_FAILED", `the page could not be parsed: ${cause.message}`, {
      url,
      cause
    });
  }
  const baseHref = document.querySelector("base[href]")?.getAttribute("href");
  let base = url;
  try {
    base = baseHref ? new URL(baseHref, url).toString() : url;
  } catch {
  }
  Object.defineProperty(document, "baseURI", { value: base, configurable: true });
  Object.defineProperty(document, "documentURI", { value: url, configurable: true });
  fixLazyImages(document);
  let result;
  try {
    const Readability = loadReadability();
    result = new Readability(document, {
      classesToPreserve: ["caption"]
    }).parse();
  } catch (cause) {
    throw new FeedError("FULL_TEXT_FAILED", `Readability failed on the page: ${cause.message}`, {
      url,
      cause
    });
  }
  if (!result?.content || (result.length ?? 0) < 1) {
    throw new FeedError("FULL_TEXT_FAILED", "no readable article found on the page", { url });
  }
  const out = { html: result.content, length: result.length ?? 0 };
  if (result.title) out.title = result.title;
  if (result.byline) out.byline = result.byline;
  if (result.excerpt) out.excerpt = result.excerpt;
  if (result.lang) out.lang = result.lang;
  return out;
}
var TRUNCATED = /(…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading|more\s*»|weiterlesen|lire la suite|leer más)\W{0,3}$/i;
function isSummaryOnly(article, minChars = 500) {
  const text = article.html.replace(/<[^>]*>/g, " ").replace(/&[#\w]+;/g, " ").replace(/\s+/g, " ").trim();
  return text.length < minChars || TRUNCATED.test(text);
}

// .old/src/http.ts
import { readFile, stat } from "node:fs/promises";
import { fileURLToPath } from "node:url";

// .old/src/limiter.ts
var Limiter = class {
  constructor(concurrency, perHost) {
    this.concurrency = concurrency;
    this.perHost = perHost;
  }
  concurrency;
  perHost;
  active = 0;
  perHostActive = /* @__PURE__ */ new Map();
  /** Waiting starters per host; Map order is the round-robin order. */
  waiting = /* @__PURE__ */ new Map();
  async run(host, task) {
    await this.acquire(host);
    try {
      return await task();
    } finally {
      this.release(host);
    }
  }
  canStart(host) {
    return this.active < this.concurrency && (this.perHostActive.get(host) ?? 0) < this.perHost;
  }
  acquire(host) {
    if (this.canStart(host) && !this.waiting.has(host)) {
      this.take(host);
      return Promise.resolve();
    }
    return new Promise((resolve2) => {
      const queue = this.waiting.get(host);
      if (queue) queue.push(resolve2);
      else this.waiting.set(host, [resolve2]);
    });
  }
  take(host) {
    this.active++;
    this.perHostActive.set(host, (this.perHostActive.get(host) ?? 0) + 1);
  }
  release(host) {
    this.active--;
    const left = (this.perHostActive.get(host) ?? 1) - 1;
    if (left === 0) this.perHostActive.delete(host);
    else this.perHostActive.set(host, left);
    let started = true;
    while (started && this.active < this.concurrency) {
      started = false;
      for (const [waitingHost, queue] of this.waiting) {
        if (this.active >= this.concurrency) break;
        if (!this.canStart(waitingHost)) continue;
        const start = queue.shift();
        this.waiting.delete(waitingHost);
        if (queue.length > 0) this.waiting.set(waitingHost, queue);
        this.take(waitingHost);
        start();
        started = true;
      }
    }
  }
};
function hostOf(url) {
  try {
    const parsed = new URL(url);
    return parsed.host || parsed.protocol;
  } catch {
    return url;
  }
}

// .old/src/http.ts
var DEFAULT_USER_AGENT = "news2kindle-feed-fetcher/0.1 (+https://github.com/news2kindle/news2kindle)";
var MAX_REDIRECTS = 5;
var Retryable = class extends Error {
  constructor(error, retryAfterMs) {
    super(error.message);
    this.error = error;
    this.retryAfterMs = retryAfterMs;
  }
  error;
  retryAfterMs;
};
async function getUrl(url, options = {}, validators) {
  if (/^file:/i.test(url)) return readLocal(url, options.maxBytes ?? 10 * 1024 * 1024);
  const retries = options.retries ?? 2;
  const baseDelay = options.retryDelayMs ?? 500;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(options.signal, url);
    try {
      const run = () => attemptOnce(url, options, validators);
      return await (options.limiter ? options.limiter.run(hostOf(url), run) : run());
    } catch (error) {
      if (!(error instanceof Retryable)) throw error;
      if (attempt >= retries) throw error.error;
      const maxRetryAfter = options.maxRetryAfterMs ?? 3e4;
      if (error.retryAfterMs !== void 0 && error.retryAfterMs > maxRetryAfter) throw error.error;
      const backoff = baseDelay * 2 ** attempt * (1 + Math.random() * 0.2);
      const delayMs = Math.round(error.retryAfterMs ?? backoff);
      options.onRetry?.({ url, attempt: attempt + 1, delayMs, reason: error.message });
      await sleep(delayMs, options.signal, url);
    }
  }
}
async function attemptOnce(startUrl, options, validators) {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 15e3;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const controller = new AbortController();
  let timedOut;
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let timer = setTimeout(() => {
    timedOut = "headers";
    controller.abort();
  }, timeoutMs);
  let url = startUrl;
  const auth = basicAuth(startUrl);
  try {
    for (let hop = 0; ; hop++) {
      const headers = {
        "user-agent": options.userAgent ?? DEFAULT_USER_AGENT,
        accept: options.accept ?? "*/*",
        "accept-encoding": "gzip, deflate, br"
      };
      if (auth && new URL(url).origin === auth.origin) headers.authorization = auth.header;
      if (validators?.etag) headers["if-none-match"] = validators.etag;
      if (validators?.lastModified) headers["if-modified-since"] = validators.lastModified;
      const response = await doFetch(auth ? auth.strip(url) : url, {
        headers,
        redirect: "manual",
        signal: controller.signal
      });
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        await response.body?.cancel().catch(() => {
        });
        if (!location) {
          throw new FeedError("HTTP_REDIRECTS", `${response.status} redirect without a Location header`, { url });
        }
        if (hop >= MAX_REDIRECTS) {
          throw new FeedError("HTTP_REDIRECTS", `more than ${MAX_REDIRECTS} redirects, last to ${location}`, { url });
        }
        url = new URL(location, url).toString();
        if (!/^https?:/i.test(url))
          throw new FeedError("HTTP_REDIRECTS", `redirect to a non-HTTP URL: ${url}`, { url });
        continue;
      }
      const facts = {
        url,
        status: response.status,
        contentType: response.headers.get("content-type") ?? void 0,
        etag: response.headers.get("etag") ?? validators?.etag,
        lastModified: response.headers.get("last-modified") ?? validators?.lastModified
      };
      if (response.status === 304) {
        await response.body?.cancel().catch(() => {
        });
        return { ...facts, notModified: true, body: new Uint8Array() };
      }
      if (response.status >= 400) {
        await response.body?.cancel().catch(() => {
        });
        const error = new FeedError("HTTP_STATUS", `HTTP ${response.status} ${response.statusText} for ${url}`, {
          url,
          status: response.status
        });
        if (response.status === 429 || response.status >= 500) {
          throw new Retryable(error, retryAfter(response.headers.get("retry-after")));
        }
        throw error;
      }
      const length = Number(response.headers.get("content-length"));
      if (!response.headers.get("content-encoding") && Number.isFinite(length) && length > maxBytes) {
        await response.body?.cancel().catch(() => {
        });
        throw new FeedError("HTTP_TOO_LARGE", `the body is ${length} bytes, more than the limit of ${maxBytes}`, {
          url
        });
      }
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = "body";
        controller.abort();
      }, options.bodyTimeoutMs ?? 3e4);
      const body = await readCapped(response, maxBytes, url);
      return { ...facts, notModified: false, body };
    }
  } catch (error) {
    if (error instanceof FeedError || error instanceof Retryable) throw error;
    if (options.signal?.aborted) {
      throw new FeedError("ABORTED", `the request was aborted (${url})`, { url, cause: options.signal.reason });
    }
    if (timedOut) {
      const what = timedOut === "headers" ? `no response within ${timeoutMs} ms` : `the body did not arrive within ${options.bodyTimeoutMs ?? 3e4} ms`;
      throw new Retryable(new FeedError("HTTP_TIMEOUT", `${what} (${url})`, { url, cause: error }));
    }
    const cause = error.cause;
    const detail = cause?.code ?? cause?.message ?? error.message;
    throw new Retryable(new FeedError("HTTP_NETWORK", `network error: ${detail} (${url})`, { url, cause: error }));
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}
async function readCapped(response, maxBytes, url) {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks = [];
  let total = 0;
  for (; ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {
      });
      throw new FeedError("HTTP_TOO_LARGE", `the body is larger than the limit of ${maxBytes} bytes (${url})`, { url });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}
function basicAuth(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return void 0;
  }
  if (!parsed.username && !parsed.password) return void 0;
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  return {
    origin: parsed.origin,
    header: `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`,
    strip: (u) => {
      const copy = new URL(u);
      copy.username = "";
      copy.password = "";
      return copy.toString();
    }
  };
}
function retryAfter(value) {
  if (!value) return void 0;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1e3);
  const date = Date.parse(value);
  return Number.isNaN(date) ? void 0 : Math.max(0, date - Date.now());
}
async function readLocal(url, maxBytes) {
  try {
    const path = fileURLToPath(url);
    const info = await stat(path);
    if (info.size > maxBytes) {
      throw new FeedError("HTTP_TOO_LARGE", `${path} is ${info.size} bytes, more than the limit of ${maxBytes}`, {
        url
      });
    }
    return { url, status: 200, notModified: false, body: await readFile(path) };
  } catch (error) {
    if (error instanceof FeedError) throw error;
    throw new FeedError("FILE_READ", `cannot read ${url}: ${error.message}`, { url, cause: error });
  }
}
function throwIfAborted(signal, url) {
  if (signal?.aborted)
    throw new FeedError("ABORTED", `the request was aborted (${url})`, { url, cause: signal.reason });
}
function sleep(ms, signal, url) {
  return new Promise((resolve2, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
    };
    const onAbort = () => {
      done();
      reject(new FeedError("ABORTED", `the request was aborted (${url})`, { url, cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      done();
      resolve2();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

// .old/src/parse-feed.ts
import { gunzipSync } from "node:zlib";

// .old/src/raw-item.ts
import { createHash } from "node:crypto";
import { decodeHTML as decodeHTML2 } from "entities";
var HTML_TAG = /<\/?(a|abbr|acronym|b|big|br|cite|code|del|dfn|div|em|font|h[1-6]|i|img|ins|kbd|mark|p|q|s|samp|small|span|strike|strong|sub|sup|tt|u|var)\b[^>]*>/gi;
function plainText(value) {
  if (!value) return "";
  let text = value;
  if (/[<&]/.test(text)) {
    text = text.replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, "$1").replace(HTML_TAG, "");
    text = decodeHTML2(text);
  }
  return text.replace(/[ \t\r\n\f]+/g, " ").trim();
}
function textToHtml(text) {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return escaped.split(/\n{2,}/).map((p) => `<p>${p.trim().replace(/\n/g, "<br>")}</p>`).join("\n");
}
function articleId(item) {
  const guid = item.guid?.trim();
  if (guid) return guid;
  const link = item.link?.trim();
  if (link) return link;
  const hash = createHash("sha256").update(item.title ?? "").update("\0").update(item.content ?? "").digest("hex");
  return `sha256:${hash.slice(0, 32)}`;
}

// .old/src/parse-json.ts
var str = (v) => typeof v === "string" ? v : typeof v === "number" ? String(v) : void 0;
var obj = (v) => v && typeof v === "object" && !Array.isArray(v) ? v : void 0;
function parseJsonFeed(text, url) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new FeedError("FEED_MALFORMED", `the JSON is not valid: ${cause.message}`, { cause, url });
  }
  const root = obj(data);
  const version = str(root?.version) ?? "";
  if (!root || !/jsonfeed\.org\/version\//i.test(version)) {
    throw new FeedError("FEED_NOT_RECOGNIZED", 'JSON that is not a JSON Feed (no jsonfeed.org "version")', { url });
  }
  const format = /version\/1\.1/.test(version) ? "json1.1" : "json1.0";
  const base = str(root.home_page_url) ?? url;
  const feedBase = url && /^https?:/i.test(url) ? url : base;
  const feedAuthor = authorOf(root);
  const items = Array.isArray(root.items) ? root.items : [];
  return {
    format,
    title: str(root.title),
    link: resolveUrl(str(root.home_page_url), url),
    language: str(root.language),
    items: items.map(obj).filter((item) => !!item).map((item) => {
      const link = resolveUrl(str(item.url) ?? str(item.external_url), feedBase);
      const html = str(item.content_html);
      const text2 = str(item.content_text);
      const raw = {
        title: str(item.title),
        link,
        guid: str(item.id),
        guidIsLink: false,
        author: authorOf(item) ?? feedAuthor,
        date: str(item.date_published) ?? str(item.date_modified),
        content: html ?? (text2 !== void 0 ? textToHtml(text2) : void 0),
        summary: str(item.summary),
        language: str(item.language),
        base: link ?? feedBase,
        image: resolveUrl(str(item.image) ?? str(item.banner_image), feedBase)
      };
      return raw;
    })
  };
}
function authorOf(node) {
  const authors = Array.isArray(node.authors) ? node.authors : node.author ? [node.author] : [];
  const names = authors.map((a) => str(obj(a)?.name)).filter((n) => !!n);
  return names.length ? names.join(", ") : void 0;
}

// .old/src/parse-xml.ts
import Parser from "rss-parser";

// .old/src/xml-tree.ts
var str2 = (v) => {
  if (typeof v === "string") return v;
  if (Array.isArray(v)) return str2(v[0]);
  if (v && typeof v === "object") {
    const node = v;
    if (typeof node._ === "string") return node._;
  }
  return void 0;
};
var first = (node, key) => {
  const value = node?.[key];
  return Array.isArray(value) ? value[0] : void 0;
};
var attr = (node, name) => node && typeof node === "object" ? node.$?.[name] : void 0;
function textValue(value) {
  if (value === void 0 || value === null) return void 0;
  if (typeof value === "string") return value;
  const node = value;
  if (typeof node._ === "string" && Object.keys(node).every((k) => k === "_" || k === "$")) return node._;
  if (typeof value === "object") return flatten(value);
  return String(value);
}
function flatten(value) {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return value.map(flatten).join("");
  if (value && typeof value === "object") {
    return Object.entries(value).filter(([key]) => key !== "$").map(([, v]) => flatten(v)).join("");
  }
  return "";
}
function imageOf(item, base) {
  const thumb = attr(item.mediaThumbnail, "url");
  const media = item.mediaContent;
  const enclosure = item.enclosure;
  const fromMedia = attr(media, "medium") === "image" || /^image\//.test(attr(media, "type") ?? "") ? attr(media, "url") : void 0;
  const fromEnclosure = enclosure && /^image\//.test(enclosure.type ?? "") ? enclosure.url : void 0;
  return resolveUrl(thumb ?? fromMedia ?? fromEnclosure, base);
}

// .old/src/parse-atom.ts
function atomItem(item, node, channelBase) {
  const base = resolveUrl(attr(node, "xml:base"), channelBase) ?? channelBase;
  const contentNode = first(node, "content");
  const summaryNode = first(node, "summary");
  const date = str2(first(node, "published")) ?? str2(first(node, "issued")) ?? str2(first(node, "updated")) ?? str2(first(node, "modified")) ?? str2(first(node, "created"));
  const authorNode = first(node, "author");
  return {
    title: atomText(first(node, "title")),
    link: resolveUrl(atomLink(node), base),
    guid: textValue(item.id)?.trim() || void 0,
    guidIsLink: false,
    author: typeof authorNode === "object" ? str2(first(authorNode, "name")) : void 0,
    date,
    content: atomContent(item.content, contentNode),
    summary: atomContent(item.summary, summaryNode),
    language: attr(node, "xml:lang"),
    base: resolveUrl(attr(contentNode, "xml:base"), base) ?? base,
    image: imageOf(item, base)
  };
}
function atomText(node) {
  let text = textValue(node);
  if (text === void 0) return void 0;
  const type = attr(node, "type") ?? "text";
  if (attr(node, "mode") === "base64") text = Buffer.from(text, "base64").toString("utf8");
  else if (isBinaryType(type)) text = fromBase64(text) ?? text;
  if (/^(text|text\/plain|xhtml|application\/xhtml\+xml)$/i.test(type))
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  return text;
}
function isBinaryType(type) {
  return type.includes("/") && !/^text\/|[+/]xml$/i.test(type);
}
function fromBase64(text) {
  const compact = text.replace(/\s+/g, "");
  if (!compact || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return void 0;
  const decoded = Buffer.from(compact, "base64").toString("utf8");
  return /[\uFFFD\x00-\x08\x0E-\x1F]/.test(decoded) ? void 0 : decoded;
}
function atomContent(value, node) {
  const text = textValue(value);
  if (text === void 0) return void 0;
  const type = attr(node, "type") ?? "text";
  const mode = attr(node, "mode");
  if (mode === "base64" || isBinaryType(type) && fromBase64(text) !== void 0)
    return Buffer.from(text, "base64").toString("utf8");
  if (/^(text|text\/plain)$/i.test(type) && mode !== "escaped") return textToHtml(text);
  return text;
}
function withAttributes(links) {
  if (!Array.isArray(links)) return links;
  return links.map(
    (l) => l && typeof l === "object" && l.$ ? l : { $: { href: typeof l === "string" ? l : "" } }
  );
}
function atomLink(node) {
  const links = Array.isArray(node.link) ? node.link : [];
  const candidates = links.map(
    (l) => typeof l === "string" ? { href: l, rel: "alternate", type: "" } : { href: l.$?.href ?? str2(l) ?? "", rel: l.$?.rel ?? "alternate", type: l.$?.type ?? "" }
  ).filter((l) => l.href.trim());
  const alternate = candidates.filter((l) => l.rel === "alternate");
  return (alternate.find((l) => /html/i.test(l.type)) ?? alternate[0] ?? candidates.find((l) => l.rel !== "self") ?? candidates[0])?.href;
}
function withoutBadDates(root) {
  const entries = root.entry;
  if (!Array.isArray(entries)) return root;
  const bad = (v) => Number.isNaN(new Date(String(str2(v) ?? "").trim()).getTime());
  return {
    ...root,
    link: withAttributes(root.link),
    entry: entries.map((entry) => {
      const copy = { ...entry, link: withAttributes(entry.link) };
      for (const key of ["published", "updated"]) if (copy[key] !== void 0 && bad(copy[key])) delete copy[key];
      return copy;
    })
  };
}

// .old/src/parse-xml.ts
var ITEM_FIELDS = [
  ["dc:language", "language"],
  ["media:thumbnail", "mediaThumbnail"],
  ["media:content", "mediaContent"],
  ["dc:identifier", "identifier"]
];
function parseXmlFeed(xml, url) {
  const prefixes = feedPrefixes(xml);
  let tree = readTree(xml, prefixes, true);
  if (tree instanceof Error) {
    const loose = readTree(xml, prefixes, false);
    if (loose instanceof Error || !loose) {
      throw new FeedError("FEED_MALFORMED", `the XML is not well-formed: ${tree.message.split("\n").join(" ")}`, {
        cause: tree,
        url
      });
    }
    tree = loose;
  }
  if (!tree) throw new FeedError("FEED_MALFORMED", "the XML has no document element", { url });
  const parser = new Parser({ customFields: { item: ITEM_FIELDS } });
  const [rootName, rootValue] = Object.entries(tree)[0] ?? [];
  const root = rootValue ?? {};
  const local = (rootName ?? "").replace(/^.*:/, "");
  let format;
  let output;
  let rawItems;
  try {
    if (local === "feed") {
      const ns = attr(root, "xmlns") ?? "";
      format = attr(root, "version") === "0.3" || /purl\.org\/atom\/ns#/.test(ns) ? "atom0.3" : "atom1.0";
      output = parser.buildAtomFeed({ feed: withoutBadDates(root) });
      rawItems = root.entry ?? [];
    } else if (local === "rss") {
      const version = attr(root, "version") ?? "2.0";
      format = /^0\.9/.test(version) ? `rss${version}` : "rss2.0";
      const channel = first(root, "channel");
      output = typeof channel === "object" ? parser.buildRSS2({ rss: { ...root, $: { ...root.$, version: "2.0" } } }) : { items: [] };
      rawItems = typeof channel === "object" ? channel.item ?? [] : [];
    } else if (local === "RDF") {
      const ns = Object.values(root.$ ?? {}).join(" ");
      format = /netscape\.com\/rdf\/simple\/0\.9/.test(ns) ? "rss0.90" : "rss1.0";
      const channel = first(root, "channel");
      output = typeof channel === "object" ? parser.buildRSS1({ "rdf:RDF": root }) : { items: [] };
      rawItems = root.item ?? [];
    } else {
      const what = /^html$/i.test(local) ? "an HTML page, not a feed" : `<${rootName}> is not RSS, RDF or Atom`;
      throw new FeedError("FEED_NOT_RECOGNIZED", `the document is ${what}`, { url });
    }
  } catch (error) {
    if (error instanceof FeedError) throw error;
    throw new FeedError("FEED_MALFORMED", `the feed has an unexpected structure: ${error.message}`, {
      cause: error,
      url
    });
  }
  const channelCandidate = local === "feed" ? root : first(root, "channel");
  const channelNode = typeof channelCandidate === "object" ? channelCandidate : {};
  const feedLink = local === "feed" ? atomLink(root) : textValue(output.link) ?? str2(first(channelNode, "link"));
  const outer = url && /^https?:/i.test(url) ? url : resolveUrl(feedLink, url) ?? url;
  const rootBase = resolveUrl(attr(root, "xml:base"), outer) ?? outer;
  const channelBase = resolveUrl(attr(channelNode, "xml:base"), rootBase) ?? rootBase;
  const language = textValue(output.language) ?? attr(root, "xml:lang") ?? str2(first(channelNode, "dc:language"));
  const items = output.items.map((item, index) => {
    const rawNode = rawItems[index] ?? {};
    return local === "feed" ? atomItem(item, rawNode, channelBase) : rssItem(item, rawNode, channelBase, attr(root, "xml:lang"));
  });
  return {
    format,
    title: local === "feed" ? atomText(first(root, "title")) : textValue(output.title) ?? str2(first(channelNode, "title")),
    link: resolveUrl(feedLink, rootBase),
    language: language?.trim() || void 0,
    items
  };
}
function rssItem(item, node, channelBase, rootLang) {
  const base = resolveUrl(attr(node, "xml:base"), channelBase) ?? channelBase;
  const guidNode = first(node, "guid");
  const guidIsLink = attr(guidNode, "isPermaLink") !== "false";
  const guid = textValue(item.guid)?.trim() || textValue(item["rdf:about"])?.trim() || void 0;
  let link = resolveUrl(textValue(item.link), base);
  if (!link && guid && guidIsLink && /^https?:\/\//i.test(guid)) link = guid;
  const encoded = textValue(item["content:encoded"]);
  const description = textValue(item.content);
  return {
    title: textValue(item.title),
    link,
    guid,
    guidIsLink,
    author: textValue(item.creator) ?? textValue(item.author),
    date: textValue(item.pubDate) ?? textValue(item.date) ?? str2(first(node, "atom:published")) ?? str2(first(node, "dcterms:issued")) ?? str2(first(node, "dcterms:created")) ?? str2(first(node, "dcterms:modified")) ?? str2(first(node, "atom:updated")),
    content: encoded,
    summary: description,
    language: textValue(item.language) ?? rootLang,
    base,
    image: imageOf(item, base)
  };
}
var FEED_NAMESPACES = /^(http:\/\/purl\.org\/rss\/1\.0\/|http:\/\/my\.netscape\.com\/rdf\/simple\/0\.9\/|http:\/\/backend\.userland\.com\/rss2?)$/;
var ATOM_NAMESPACES = /^(http:\/\/www\.w3\.org\/2005\/Atom|http:\/\/purl\.org\/atom\/ns#)$/;
function feedPrefixes(xml) {
  const prefixes = /* @__PURE__ */ new Set();
  const head = xml.slice(0, 8192);
  const root = /<([\w.-]+):feed[\s>]/.exec(head)?.[1];
  const re = /xmlns:([\w.-]+)\s*=\s*["']([^"']+)["']/g;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    if (FEED_NAMESPACES.test(m[2]) || ATOM_NAMESPACES.test(m[2]) && m[1] === root) prefixes.add(m[1]);
  }
  return prefixes;
}
var CAMEL = new Map(
  [
    "pubDate",
    "lastBuildDate",
    "managingEditor",
    "webMaster",
    "skipHours",
    "skipDays",
    "textInput",
    "isPermaLink",
    "rdf:RDF"
  ].map((n) => [n.toLowerCase(), n])
);
function readTree(xml, prefixes, strict) {
  const rename = (name) => {
    const colon = name.indexOf(":");
    const stripped = colon > 0 && prefixes.has(name.slice(0, colon)) ? name.slice(colon + 1) : name;
    return strict ? stripped : CAMEL.get(stripped.toLowerCase()) ?? stripped.toLowerCase();
  };
  const xml2js = {
    strict,
    tagNameProcessors: [rename],
    attrNameProcessors: strict ? [] : [(n) => CAMEL.get(n.toLowerCase()) ?? n.toLowerCase()]
  };
  const parser = new Parser({ xml2js });
  let tree;
  let failure;
  try {
    parser.xmlParser.parseString(xml, (error, result) => {
      failure ??= error ?? void 0;
      tree = result;
    });
  } catch (error) {
    failure = error;
  }
  if (failure) return failure;
  return tree && typeof tree === "object" ? tree : void 0;
}

// .old/src/xml-safety.ts
import { decodeHTML as decodeHTML3 } from "entities";
var XML_ENTITIES = /* @__PURE__ */ new Set(["amp", "lt", "gt", "quot", "apos"]);
function prepareXml(text) {
  let out = text.replace(/^\uFEFF/, "").replace(/^\s+/, "");
  const { text: withoutDoctype, entities } = stripDoctype(out);
  out = withoutDoctype;
  out = out.replace(/<\/([\w:.-]+)\s*$/, "</$1>");
  out = out.replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]/g, "");
  const expand = expander(entities);
  return mapOutsideCdata(out, (part) => fixEntities(part, expand));
}
var MAX_EXPANSION = 1e5;
var MAX_DEPTH = 16;
function expander(entities) {
  let budget = MAX_EXPANSION;
  const expand = (name, depth) => {
    const raw = entities.get(name);
    if (raw === void 0) return void 0;
    if (depth > MAX_DEPTH)
      throw new FeedError("FEED_MALFORMED", `entity &${name}; nests deeper than ${MAX_DEPTH} levels`);
    const out = raw.replace(/&([A-Za-z_][\w.-]*);/g, (match, inner) => expand(inner, depth + 1) ?? match);
    budget -= out.length;
    if (budget < 0) {
      throw new FeedError("FEED_MALFORMED", `entities expand beyond ${MAX_EXPANSION} characters (an entity bomb?)`);
    }
    return out;
  };
  return (name) => entities.size ? expand(name, 0) : void 0;
}
function stripDoctype(text) {
  const entities = /* @__PURE__ */ new Map();
  const start = text.search(/<!DOCTYPE/i);
  if (start < 0 || start > 4096) return { text, entities };
  let i = start + 9;
  let depth = 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === "[") depth++;
    else if (ch === "]") depth--;
    else if (ch === ">" && depth <= 0) break;
  }
  const doctype = text.slice(start, i + 1);
  const re = /<!ENTITY\s+([A-Za-z_][\w.-]*)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;
  for (let m = re.exec(doctype); m; m = re.exec(doctype)) {
    if (!entities.has(m[1])) entities.set(m[1], m[2] ?? m[3] ?? "");
  }
  return { text: text.slice(0, start) + text.slice(i + 1), entities };
}
function mapOutsideCdata(text, fn) {
  const parts = [];
  let pos = 0;
  while (pos < text.length) {
    const open = text.indexOf("<![CDATA[", pos);
    if (open < 0) break;
    const close = text.indexOf("]]>", open + 9);
    if (close < 0) break;
    parts.push(fn(text.slice(pos, open)), text.slice(open, close + 3));
    pos = close + 3;
  }
  parts.push(fn(text.slice(pos)));
  return parts.join("");
}
function fixEntities(text, expand = () => void 0) {
  return text.replace(/&(#x[0-9a-f]+;|#[0-9]+;|[a-z][a-z0-9]*;?)?/gi, (match, ref) => {
    if (!ref) return "&amp;";
    if (ref.startsWith("#")) return validCodePoint(ref) ? match : "";
    const name = ref.endsWith(";") ? ref.slice(0, -1) : ref;
    if (!ref.endsWith(";")) return `&amp;${ref}`;
    if (XML_ENTITIES.has(name)) return match;
    const declared = expand(name);
    if (declared !== void 0) return fixEntities(declared);
    const decoded = decodeHTML3(match);
    if (decoded === match) return `&amp;${ref}`;
    return Array.from(decoded, (ch) => `&#${ch.codePointAt(0)};`).join("");
  });
}
function validCodePoint(ref) {
  const n = ref[1] === "x" || ref[1] === "X" ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
  if (!Number.isFinite(n) || n > 1114111) return false;
  return n === 9 || n === 10 || n === 13 || n >= 32 && n <= 55295 || n >= 57344 && n <= 65533 || n >= 65536;
}

// .old/src/parse-feed.ts
var MAX_INPUT_CHARS = 50 * 1024 * 1024;
function parseFeed(input, options = {}) {
  const { url } = options;
  const warnings = [];
  let text;
  let encoding;
  if (typeof input === "string") {
    text = input;
    encoding = "utf-8";
  } else {
    const decoded = decodeBytes(gunzipIfNeeded(input, url), options.contentType);
    text = decoded.text;
    encoding = decoded.encoding;
    if (decoded.warning) warnings.push(decoded.warning);
  }
  text = text.replace(/^\uFEFF/, "");
  const start = text.trimStart();
  if (!start) throw new FeedError("FEED_EMPTY", `the feed is empty${url ? ` (${url})` : ""}`, { url });
  if (text.length > MAX_INPUT_CHARS) throw new FeedError("FEED_MALFORMED", "the feed is larger than 50 MB", { url });
  let raw;
  try {
    if (start.startsWith("{") || start.startsWith("[")) raw = parseJsonFeed(start, url);
    else if (start.startsWith("<")) raw = parseXmlFeed(prepareXml(start), url);
    else throw new FeedError("FEED_NOT_RECOGNIZED", "the document is neither XML nor JSON", { url });
  } catch (error) {
    if (error instanceof FeedError) throw error;
    throw new FeedError("FEED_MALFORMED", `the feed could not be read: ${error?.message}`, {
      cause: error,
      url
    });
  }
  const now = options.now ?? /* @__PURE__ */ new Date();
  const feedTitle = plainText(raw.title) || raw.link || url || "Untitled feed";
  const feedUrl = url ?? raw.link ?? "";
  const articles = raw.items.map((item) => toArticle(item, { feedTitle, feedUrl, now, language: raw.language }));
  const feed = { format: raw.format, title: feedTitle, encoding, articles, warnings };
  if (raw.link) feed.link = raw.link;
  if (raw.language) feed.language = raw.language;
  return feed;
}
function toArticle(item, facts) {
  const date = parseDate(item.date);
  const contentHtml = item.content?.trim() ? absolutizeHtml(item.content, item.base) : void 0;
  const summaryHtml = item.summary?.trim() ? absolutizeHtml(item.summary, item.base) : void 0;
  const html = contentHtml ?? summaryHtml ?? "";
  let title = plainText(item.title);
  if (!title) title = firstWords(plainText(html)) || item.link || "Untitled";
  const article = {
    id: articleId({ guid: item.guid, link: item.link, title, content: html }),
    title,
    published: date ?? facts.now,
    undated: !date,
    html,
    feedTitle: facts.feedTitle,
    feedUrl: facts.feedUrl,
    hasContent: contentHtml !== void 0
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
function firstWords(text) {
  if (text.length <= 80) return text;
  return `${text.slice(0, 80).replace(/\s+\S*$/, "")}\u2026`;
}
function gunzipIfNeeded(bytes, url) {
  if (bytes[0] !== 31 || bytes[1] !== 139) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_INPUT_CHARS });
  } catch (cause) {
    throw new FeedError(
      "FEED_MALFORMED",
      `the gzip-compressed feed could not be unpacked: ${cause.message}`,
      {
        cause,
        url
      }
    );
  }
}

// .old/src/select.ts
function selectArticles(articles, options = {}) {
  const include = options.include?.map((w) => w.toLowerCase()).filter(Boolean) ?? [];
  const exclude = options.exclude?.map((w) => w.toLowerCase()).filter(Boolean) ?? [];
  const seen = /* @__PURE__ */ new Set();
  const kept = articles.filter((article) => {
    if (seen.has(article.id)) return false;
    seen.add(article.id);
    if (options.since && !article.undated && article.published < options.since) return false;
    if (include.length === 0 && exclude.length === 0) return true;
    const haystack = `${article.title}
${article.summary ?? ""}
${article.html}`.toLowerCase();
    if (include.length > 0 && !include.some((w) => haystack.includes(w))) return false;
    return !exclude.some((w) => haystack.includes(w));
  });
  const sorted = sortNewestFirst(kept);
  return options.maxItems !== void 0 ? sorted.slice(0, Math.max(0, options.maxItems)) : sorted;
}
function sortNewestFirst(articles) {
  return [...articles].sort((a, b) => b.published.getTime() - a.published.getTime());
}

// .old/src/fetch-feeds.ts
var FEED_ACCEPT = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8";
var PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.8";
async function fetchFeeds(sources, given = {}) {
  const report = given.onProgress;
  const options = report ? {
    ...given,
    onProgress: (event) => {
      try {
        report(event);
      } catch {
      }
    }
  } : given;
  const limiter = new Limiter(Math.max(1, options.concurrency ?? 8), Math.max(1, options.perHost ?? 2));
  const http = {
    fetch: options.fetch,
    timeoutMs: options.timeoutMs,
    bodyTimeoutMs: options.bodyTimeoutMs,
    maxBytes: options.maxBytes,
    userAgent: options.userAgent,
    retries: options.retries,
    retryDelayMs: options.retryDelayMs,
    maxRetryAfterMs: options.maxRetryAfterMs,
    signal: options.signal,
    limiter,
    onRetry: options.onProgress ? (event) => options.onProgress?.({ type: "retry", ...event }) : void 0
  };
  const total = sources.length;
  return Promise.all(
    sources.map(async (source, index) => {
      options.onProgress?.({ type: "feed-start", source, index, total });
      const result = await fetchOne(source, options, http);
      options.onProgress?.({ type: "feed-done", source, index, total, result });
      return result;
    })
  );
}
async function fetchOne(source, options, http) {
  const startedAt = /* @__PURE__ */ new Date();
  const started = performance.now();
  const timings = () => ({ startedAt, ms: Math.round(performance.now() - started) });
  try {
    const validators = options.conditional?.(source);
    const fetched = await getUrl(source.url, { ...http, accept: FEED_ACCEPT }, validators);
    const base = { source, ok: true, articles: [], notModified: fetched.notModified, timings: timings() };
    if (fetched.url !== source.url) base.finalUrl = fetched.url;
    if (fetched.etag) base.etag = fetched.etag;
    if (fetched.lastModified) base.lastModified = fetched.lastModified;
    if (fetched.notModified) return base;
    let feed;
    try {
      feed = parseFeed(fetched.body, {
        url: fetched.url,
        contentType: fetched.contentType,
        now: options.now ?? startedAt
      });
    } catch (error) {
      const [discovered] = error instanceof FeedError && error.code === "FEED_NOT_RECOGNIZED" ? discoverFeedLinks(fetched.body, fetched.url, fetched.contentType) : [];
      if (!discovered) throw error;
      const again = await getUrl(discovered, { ...http, accept: FEED_ACCEPT });
      feed = parseFeed(again.body, { url: again.url, contentType: again.contentType, now: options.now ?? startedAt });
      feed.warnings.push(`${source.url} is a web page; read the feed it links to: ${again.url}`);
      base.finalUrl = again.url;
      if (again.etag) base.etag = again.etag;
      else delete base.etag;
      if (again.lastModified) base.lastModified = again.lastModified;
      else delete base.lastModified;
    }
    if (source.title) {
      for (const article of feed.articles) article.feedTitle = source.title;
    }
    const maxItems = minDefined(source.maxItems, options.maxPerFeed);
    const selected = selectArticles(feed.articles, {
      since: options.since,
      maxItems,
      include: source.include,
      exclude: source.exclude
    });
    const skip = options.skip;
    const kept = skip ? selected.filter((article) => !skip(article, source)) : selected;
    const mode = source.fullText ?? options.fullText ?? "auto";
    await Promise.all(kept.map((article) => addFullText(article, mode, source, options, http)));
    const itemCount = feed.articles.length;
    feed.articles = kept;
    const result = {
      ...base,
      feed,
      articles: kept,
      itemCount,
      encoding: feed.encoding,
      timings: timings()
    };
    if (skip) result.skipped = selected.length - kept.length;
    return result;
  } catch (error) {
    const feedError = toFeedError(error, "FEED_MALFORMED", source.url);
    return { source, ok: false, articles: [], notModified: false, error: feedError, timings: timings() };
  }
}
async function addFullText(article, mode, source, options, http) {
  if (mode === "never" || mode === "auto" && !isSummaryOnly(article) || !isHttpUrl(article.url)) {
    article.fullText = "feed";
    return;
  }
  const url = article.url;
  try {
    const page = await getUrl(url, { ...http, accept: PAGE_ACCEPT });
    const type = page.contentType ?? "";
    if (type && !/html|xml/i.test(type)) {
      throw new FeedError("FULL_TEXT_FAILED", `the page is ${type.split(";")[0]}, not HTML`, { url });
    }
    const html = decodeBytes(page.body, page.contentType, true).text;
    const extracted = extractFullText(html, page.url);
    article.html = extracted.html;
    article.fullText = "extracted";
    if (!article.author && extracted.byline) article.author = extracted.byline;
    options.onProgress?.({ type: "page-done", source, url, ok: true });
  } catch (error) {
    if (error instanceof FeedError && error.code === "ABORTED") throw error;
    article.fullText = "failed";
    article.fullTextError = error instanceof Error ? error.message : String(error);
    options.onProgress?.({ type: "page-done", source, url, ok: false });
  }
}
function minDefined(a, b) {
  if (a === void 0) return b;
  if (b === void 0) return a;
  return Math.min(a, b);
}
export {
  DEFAULT_USER_AGENT,
  FeedError,
  decodeBytes,
  discoverFeedLinks,
  extractFullText,
  fetchFeeds,
  fixLazyImages,
  isSummaryOnly,
  parseDate,
  parseFeed,
  readFeedList,
  selectArticles,
  sortNewestFirst,
  toFeedsTxt,
  toOpml
};
