import { type DefaultTreeAdapterTypes, parse } from 'parse5';
import {
  CONTAINERS,
  DROP,
  FLOW_BLOCKS,
  MAX_ATTR,
  MAX_DEPTH,
  MAX_URL,
  PHRASING,
  PHRASING_BLOCKS,
  STRUCTURE,
  VIDEO_HOSTS,
} from './html-rules.js';
import { escAttr, escText, isLanguageTag } from './xml.js';

type Node = DefaultTreeAdapterTypes.ChildNode;
type Element = DefaultTreeAdapterTypes.Element;

/** An image the article refers to; its `<img>` is a placeholder until the image is fetched. */
export interface ImageRef {
  url: string;
  alt: string;
}

export interface SanitizeOptions {
  /** The article's URL, to resolve relative links and images. */
  baseUrl?: string;
  /** Prefix for every id in this article, so ids are unique across the book. */
  idPrefix: string;
}

export interface Sanitized {
  /** Well-formed XHTML for inside a flow container, with image placeholders (see {@link imagePlaceholder}). */
  xhtml: string;
  images: ImageRef[];
}

/** The placeholder the sanitiser leaves for image `index` (control characters never survive in text). */
export function imagePlaceholder(index: number): string {
  return `\u0001${index}\u0001`;
}

/** Replaces image placeholders: `render` returns the `<img/>` markup or the fallback text. */
export function fillImages(xhtml: string, render: (index: number) => string): string {
  return xhtml.replace(/\u0001(\d+)\u0001/g, (_, n: string) => render(Number(n)));
}

interface Ctx {
  mode: 'flow' | 'phrasing' | 'list' | 'structure';
  allowed?: Set<string> | undefined;
  inA: boolean;
  depth: number;
}

type Work = { node: Node; ctx: Ctx } | string;

const FLOW: Ctx = { mode: 'flow', inA: false, depth: 0 };

function attr(el: Element, name: string): string | undefined {
  return el.attrs.find((a) => a.name === name)?.value;
}

/** Turns untrusted article HTML into well-formed, allowlisted XHTML. */
export function sanitizeHtml(html: string, options: SanitizeOptions): Sanitized {
  const doc = parse(html);
  const htmlEl = doc.childNodes.find((n): n is Element => n.nodeName === 'html');
  const body = htmlEl?.childNodes.find((n): n is Element => n.nodeName === 'body');
  const images: ImageRef[] = [];
  const ids = new Map<string, string>();
  const usedIds = new Set<string>();
  const fragments: string[] = [];
  const captions = new WeakSet<Element>();
  const out: string[] = [];
  const stack: Work[] = [];
  const pushChildren = (el: Element, ctx: Ctx) => {
    for (let i = el.childNodes.length - 1; i >= 0; i--) stack.push({ node: el.childNodes[i]!, ctx });
  };

  const resolve = (raw: string | undefined): { frag: string } | { url: string } | undefined => {
    const value = raw?.trim();
    if (!value || value.length > MAX_URL) return undefined;
    if (value.startsWith('#')) return value.length > 1 ? { frag: safeDecode(value.slice(1)) } : undefined;
    let url: URL;
    try {
      url = options.baseUrl ? new URL(value, options.baseUrl) : new URL(value);
    } catch {
      return undefined;
    }
    if (!['http:', 'https:', 'mailto:'].includes(url.protocol)) return undefined;
    if (options.baseUrl && url.hash.length > 1) {
      const base = new URL(options.baseUrl);
      if (base.origin === url.origin && base.pathname === url.pathname && base.search === url.search) {
        return { frag: safeDecode(url.hash.slice(1)) };
      }
    }
    return { url: strictUri(url.href) };
  };

  const common = (el: Element): string => {
    let s = '';
    const id = attr(el, 'id') ?? (el.tagName === 'a' ? attr(el, 'name') : undefined);
    if (id?.trim()) {
      const clean = id
        .trim()
        .replace(/[^A-Za-z0-9_-]/g, '_')
        .slice(0, 64);
      let unique = `${options.idPrefix}${clean}`;
      for (let n = 2; usedIds.has(unique); n++) unique = `${options.idPrefix}${clean}-${n}`;
      usedIds.add(unique);
      if (!ids.has(id.trim())) ids.set(id.trim(), unique);
      s += ` id="${unique}"`;
    }
    const lang = attr(el, 'lang') ?? attr(el, 'xml:lang');
    if (lang && isLanguageTag(lang)) s += ` xml:lang="${lang}" lang="${lang}"`;
    const dir = attr(el, 'dir')?.toLowerCase();
    if (dir === 'rtl' || dir === 'ltr') s += ` dir="${dir}"`;
    const title = attr(el, 'title');
    if (title?.trim()) s += ` title="${escAttr(title.slice(0, MAX_ATTR))}"`;
    return s;
  };

  const specific = (el: Element, tag: string): string => {
    let s = '';
    if (tag === 'td' || tag === 'th') {
      for (const name of ['colspan', 'rowspan']) {
        const v = Number(attr(el, name));
        if (Number.isInteger(v) && v > 1 && v <= 1000) s += ` ${name}="${v}"`;
      }
    }
    if (tag === 'ol') {
      const start = Number(attr(el, 'start'));
      if (attr(el, 'start') !== undefined && Number.isInteger(start)) s += ` start="${start}"`;
      if (attr(el, 'reversed') !== undefined) s += ' reversed="reversed"';
    }
    return s;
  };

  const open = (el: Element, tag: string, ctx: Ctx, inner: Ctx, extra = '') => {
    out.push(`<${tag}${common(el)}${specific(el, tag)}${extra}>`);
    stack.push(`</${tag}>`);
    pushChildren(el, { ...inner, depth: ctx.depth + 1 });
  };

  const mediaLink = (el: Element, ctx: Ctx, label: string, src: string | undefined) => {
    const target = resolve(src);
    if (!target || !('url' in target) || ctx.inA) return;
    let href = target.url;
    const yt = /youtube(?:-nocookie)?\.com\/embed\/([\w-]+)/.exec(href);
    if (yt) href = `https://www.youtube.com/watch?v=${yt[1]}`;
    const link = `<a href="${escAttr(href)}">${escText(label)}: ${escText(href)}</a>`;
    if (ctx.mode === 'phrasing') out.push(link);
    else if (ctx.mode === 'list') out.push(`<li>${link}</li>`);
    else if (ctx.mode === 'flow') out.push(`<p class="media">${link}</p>`);
    void el;
  };

  const image = (el: Element, ctx: Ctx) => {
    const alt = (attr(el, 'alt') ?? '').replace(/\s+/g, ' ').trim().slice(0, MAX_ATTR);
    const url = pickImageUrl(el, (raw) => {
      if (raw?.startsWith('data:image/')) return raw.length <= 3_000_000 ? raw : undefined;
      const r = resolve(raw);
      return r && 'url' in r && r.url.startsWith('http') ? r.url : undefined;
    });
    let markup: string;
    if (url) {
      images.push({ url, alt });
      markup = imagePlaceholder(images.length - 1);
    } else {
      markup = alt ? escText(`[${alt}]`) : '';
    }
    if (!markup) return;
    if (ctx.mode === 'list') out.push(`<li>${markup}</li>`);
    else if (ctx.mode !== 'structure') out.push(markup);
  };

  const markCaption = (figure: Element) => {
    const meaningful = figure.childNodes.filter((n) =>
      n.nodeName === '#text'
        ? (n as DefaultTreeAdapterTypes.TextNode).value.trim() !== ''
        : 'tagName' in n && !DROP.has(n.tagName),
    );
    const caps = meaningful.filter((n) => n.nodeName === 'figcaption');
    const cap = caps[0];
    if (caps.length === 1 && cap && (meaningful[0] === cap || meaningful.at(-1) === cap)) captions.add(cap as Element);
  };

  const element = (el: Element, ctx: Ctx) => {
    const tag = el.tagName;
    if (el.namespaceURI !== 'http://www.w3.org/1999/xhtml') return;
    if (tag === 'iframe') {
      const src = attr(el, 'src') ?? attr(el, 'data-src');
      let host = '';
      try {
        host = new URL(src ?? '', options.baseUrl ?? 'http://invalid').hostname;
      } catch {}
      if (VIDEO_HOSTS.test(host)) mediaLink(el, ctx, 'Video', src);
      return;
    }
    if (tag === 'video' || tag === 'audio') {
      const source = el.childNodes.find((n): n is Element => n.nodeName === 'source');
      const src = attr(el, 'src') ?? (source && attr(source, 'src'));
      mediaLink(el, ctx, tag === 'video' ? 'Video' : 'Audio', src);
      return;
    }
    if (DROP.has(tag)) return;
    if (tag === 'img') return image(el, ctx);
    if (ctx.mode === 'structure') {
      if (!ctx.allowed?.has(tag)) return;
      if (tag === 'td' || tag === 'th') return open(el, tag, ctx, FLOW);
      if (tag === 'caption') return open(el, tag, ctx, { mode: 'phrasing', inA: false, depth: 0 });
      return open(el, tag, ctx, { mode: 'structure', allowed: STRUCTURE[tag], inA: false, depth: 0 });
    }
    if (ctx.mode === 'list') {
      if (tag === 'li') return open(el, 'li', ctx, FLOW);
      if (tag === 'br' || tag === 'hr') return;
      out.push('<li>');
      stack.push('</li>');
      stack.push({ node: el, ctx: { ...FLOW, depth: ctx.depth + 1 } });
      return;
    }
    if (tag === 'br') return void out.push('<br/>');
    if (ctx.depth >= MAX_DEPTH) return unwrap(el, ctx);
    if (tag === 'a') {
      if (ctx.inA) return unwrap(el, ctx);
      const target = resolve(attr(el, 'href'));
      let href = '';
      if (target && 'url' in target) href = ` href="${escAttr(target.url)}"`;
      else if (target) {
        fragments.push(target.frag);
        href = `\u0002${fragments.length - 1}\u0002`;
      }
      return open(el, 'a', ctx, { mode: 'phrasing', inA: true, depth: 0 }, href);
    }
    const phrasing = PHRASING[tag];
    if (phrasing) return open(el, phrasing, ctx, { mode: 'phrasing', inA: ctx.inA, depth: 0 });
    if (ctx.mode === 'phrasing') return unwrap(el, ctx, true);
    if (tag === 'hr') return void out.push('<hr/>');
    if (CONTAINERS.has(tag)) return open(el, 'div', ctx, FLOW);
    const block = PHRASING_BLOCKS[tag];
    if (block && block !== 'caption') return open(el, block, ctx, { mode: 'phrasing', inA: false, depth: 0 });
    if (tag === 'ul' || tag === 'ol') return open(el, tag, ctx, { mode: 'list', inA: false, depth: 0 });
    if (tag === 'table')
      return open(el, 'table', ctx, { mode: 'structure', allowed: STRUCTURE.table, inA: false, depth: 0 });
    if (tag === 'figure') {
      markCaption(el);
      return open(el, 'figure', ctx, FLOW);
    }
    if (tag === 'figcaption') return open(el, captions.has(el) ? 'figcaption' : 'div', ctx, FLOW);
    const flow = FLOW_BLOCKS[tag];
    if (flow === 'blockquote' || flow === 'figure') return open(el, flow, ctx, FLOW);
    return unwrap(el, ctx, true);
  };

  const unwrap = (el: Element, ctx: Ctx, block = false) => {
    if (block && ctx.mode !== 'structure') stack.push(' ');
    // The element goes but its id stays, as an empty anchor, so links to it keep working.
    if ((ctx.mode === 'flow' || ctx.mode === 'phrasing') && attr(el, 'id')?.trim()) {
      const id = common({ ...el, attrs: el.attrs.filter((a) => a.name === 'id') });
      out.push(`<span${id}></span>`);
    }
    pushChildren(el, ctx);
  };

  if (body) pushChildren(body, FLOW);
  while (stack.length > 0) {
    const work = stack.pop()!;
    if (typeof work === 'string') {
      out.push(work);
      continue;
    }
    const { node, ctx } = work;
    if (node.nodeName === '#text') {
      const text = (node as DefaultTreeAdapterTypes.TextNode).value;
      if (ctx.mode === 'structure') continue;
      if (ctx.mode === 'list') {
        if (text.trim()) out.push(`<li>${escText(text)}</li>`);
        continue;
      }
      out.push(escText(text));
    } else if ('tagName' in node) {
      element(node, ctx);
    }
  }
  const xhtml = out.join('').replace(/\u0002(\d+)\u0002/g, (_, n: string) => {
    const id = ids.get(fragments[Number(n)] ?? '');
    return id ? ` href="#${id}"` : '';
  });
  return { xhtml, images };
}

/** Percent-encodes what WHATWG URLs allow but RFC 3986 (and so epubcheck) does not, e.g. `{` `}` `|`. */
export function strictUri(href: string): string {
  return href.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]/gu, (c) =>
    Array.from(Buffer.from(c, 'utf8'), (b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The real image URL: lazy-loading attributes first when `src` is a placeholder. */
function pickImageUrl(el: Element, accept: (raw: string | undefined) => string | undefined): string | undefined {
  const src = attr(el, 'src');
  const lazy = ['data-src', 'data-original', 'data-lazy-src', 'data-url', 'data-hi-res-src'].map((n) => attr(el, n));
  const srcset = attr(el, 'srcset') ?? attr(el, 'data-srcset');
  let fromSet: string | undefined;
  if (srcset) {
    let best = -1;
    for (const part of srcset.split(/,\s+/)) {
      const [url, descriptor = '1x'] = part.trim().split(/\s+/);
      const size = Number.parseFloat(descriptor) * (descriptor.endsWith('x') ? 1000 : 1);
      if (url && size > best) {
        best = size;
        fromSet = url;
      }
    }
  }
  const placeholder = !src || src.startsWith('data:') || /blank|spacer|placeholder|pixel\.gif/i.test(src);
  const order = placeholder ? [...lazy, fromSet, src] : [src, ...lazy, fromSet];
  for (const candidate of order) {
    const ok = accept(candidate);
    if (ok) return ok;
  }
  return undefined;
}
