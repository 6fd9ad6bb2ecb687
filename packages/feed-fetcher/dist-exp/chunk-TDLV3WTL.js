import { createRequire } from 'module';

// src/encoding.ts
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

// src/errors.ts
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
var PLACEHOLDER = /^data:image\/(gif|png|svg)|spacer|blank\.(gif|png)|placeholder|lazy|1x1/i;
var LAZY_ATTRS = ["data-src", "data-original", "data-lazy-src", "data-url", "data-hi-res-src", "data-full-src"];
var require3 = createRequire(import.meta.url);
var parseHTML = (...args) => require3("linkedom").parseHTML(...args);
var loadReadability = () => require3("@mozilla/readability").Readability;
function preloadFullText() {
  require3("linkedom");
  loadReadability();
}
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

export { FeedError, decodeBytes, extractFullText, fixLazyImages, isSummaryOnly, preloadFullText, toFeedError };
//# sourceMappingURL=chunk-TDLV3WTL.js.map
//# sourceMappingURL=chunk-TDLV3WTL.js.map