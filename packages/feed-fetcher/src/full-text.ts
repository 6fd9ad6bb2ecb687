import { createRequire } from 'node:module';
import type { Readability } from '@mozilla/readability';
import type { parseHTML as ParseHTML } from 'linkedom';
import { decodeBytes } from './encoding.js';
import { FeedError } from './errors.js';
import type { Article } from './types.js';

export interface ExtractedArticle {
  /** The article's HTML, links and images absolute. */
  html: string;
  title?: string;
  byline?: string;
  excerpt?: string;
  lang?: string;
  /** Characters of text in the article. */
  length: number;
}

const PLACEHOLDER = /^data:image\/(gif|png|svg)|spacer|blank\.(gif|png)|placeholder|lazy|1x1/i;
const LAZY_ATTRS = ['data-src', 'data-original', 'data-lazy-src', 'data-url', 'data-hi-res-src', 'data-full-src'];

// linkedom and Readability are ~25 MB of memory once loaded and only needed when a page's full
// text is extracted (never for full-content feeds or `fullText: 'never'`), so they are required
// (synchronously, keeping extractFullText sync) on first use.
const require = createRequire(import.meta.url);
type Linkedom = typeof import('linkedom');
let linkedom: Pick<Linkedom, 'parseHTML'> | undefined;
const parseHTML: typeof ParseHTML = (...args) => {
  linkedom ??= require('linkedom') as Linkedom;
  return linkedom.parseHTML(...args);
};
const loadReadability = () => (require('@mozilla/readability') as typeof import('@mozilla/readability')).Readability;

/**
 * Loads the parser and Readability now: the extraction worker does, before it takes pages. It
 * loads linkedom's single-file build (`linkedom/worker`, the same code and version as its module
 * tree, ESM only, hence not for the synchronous first-use path above): one module instead of a
 * few hundred costs ~2 MB less heap and ~7 MB less RSS in the worker (measured, see README).
 */
export async function preloadFullText(): Promise<void> {
  linkedom ??= (await import('linkedom/worker')) as Pick<Linkedom, 'parseHTML'>;
  loadReadability();
}

type El = {
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  textContent: string | null;
  innerHTML: string;
  tagName: string;
  parentNode: El | null;
  previousElementSibling: El | null;
  replaceWith(...nodes: unknown[]): void;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): Iterable<El>;
};

/** Largest candidate of a srcset ("a.jpg 300w, b.jpg 800w" → b.jpg). */
function bestFromSrcset(srcset: string): string | undefined {
  let best: string | undefined;
  let bestSize = -1;
  for (const part of srcset.split(/,\s+(?=\S)/)) {
    const [url, descriptor = '1x'] = part.trim().split(/\s+/);
    if (!url) continue;
    const size = Number.parseFloat(descriptor) || 1;
    if (size > bestSize) {
      best = url;
      bestSize = size;
    }
  }
  return best;
}

/**
 * Turns lazy-loaded images into plain ones before Readability runs (it would drop placeholders):
 * `data-src`/`data-original`/… become `src`, `srcset`/`data-srcset` give their largest candidate,
 * and a `<noscript><img></noscript>` replaces the placeholder image just before it.
 */
export function fixLazyImages(document: { querySelectorAll(selector: string): Iterable<El> }): void {
  for (const noscript of Array.from(document.querySelectorAll('noscript'))) {
    const markup = noscript.innerHTML || noscript.textContent || '';
    if (!/<img\b/i.test(markup)) continue;
    const prev = noscript.previousElementSibling;
    if (
      prev &&
      prev.tagName === 'IMG' &&
      (!prev.getAttribute('src') || PLACEHOLDER.test(prev.getAttribute('src') ?? ''))
    ) {
      prev.replaceWith();
    }
    const holder = noscript as El;
    const { document: inner } = parseHTML(`<!DOCTYPE html><html><body>${markup}</body></html>`);
    const img = inner.querySelector('img');
    if (img) holder.replaceWith(img);
  }
  for (const img of Array.from(document.querySelectorAll('img, source'))) {
    const src = img.getAttribute('src') ?? '';
    const lazy = LAZY_ATTRS.map((a) => img.getAttribute(a)).find((v): v is string => !!v && !v.startsWith('data:'));
    const srcset = img.getAttribute('data-srcset') ?? img.getAttribute('srcset') ?? '';
    const fromSet = srcset ? bestFromSrcset(srcset) : undefined;
    if (!src || PLACEHOLDER.test(src)) {
      const real = lazy ?? fromSet;
      if (real) img.setAttribute('src', real);
    }
    if (img.getAttribute('data-srcset') && !img.getAttribute('srcset')) img.setAttribute('srcset', srcset);
  }
}

/**
 * Scripts, styles, comments and inline SVG are most of a modern page's bytes and never part of an
 * article (Readability drops them too); removing them before parsing saves DOM work and memory.
 */
function withoutDeadWeight(html: string): string {
  return html
    .replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, '')
    .replace(/<style\b[^>]*>[\s\S]*?<\/style\s*>/gi, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<svg\b[^>]*>[\s\S]*?<\/svg\s*>/gi, '');
}

/**
 * Extracts the readable article from a page with Mozilla Readability on linkedom, lazy images
 * fixed first, relative URLs resolved against the page URL (or its `<base href>`). Throws
 * FeedError FULL_TEXT_FAILED when the page has no readable article.
 */
export function extractFullText(html: string, url: string): ExtractedArticle {
  let document: ReturnType<typeof parseHTML>['document'];
  try {
    ({ document } = parseHTML(withoutDeadWeight(html)));
  } catch (cause) {
    throw new FeedError('FULL_TEXT_FAILED', `the page could not be parsed: ${(cause as Error).message}`, {
      url,
      cause,
    });
  }
  const baseHref = document.querySelector('base[href]')?.getAttribute('href');
  let base = url;
  try {
    base = baseHref ? new URL(baseHref, url).toString() : url;
  } catch {
    // An unusable <base href> is ignored, as browsers do.
  }
  // linkedom has no notion of the document's URL; Readability reads these to absolutize links.
  Object.defineProperty(document, 'baseURI', { value: base, configurable: true });
  Object.defineProperty(document, 'documentURI', { value: url, configurable: true });
  fixLazyImages(document as never);
  let result: ReturnType<Readability['parse']>;
  try {
    const Readability = loadReadability();
    result = new Readability(document as unknown as ConstructorParameters<typeof Readability>[0], {
      classesToPreserve: ['caption'],
    }).parse();
  } catch (cause) {
    throw new FeedError('FULL_TEXT_FAILED', `Readability failed on the page: ${(cause as Error).message}`, {
      url,
      cause,
    });
  }
  if (!result?.content || (result.length ?? 0) < 1) {
    throw new FeedError('FULL_TEXT_FAILED', 'no readable article found on the page', { url });
  }
  const out: ExtractedArticle = { html: result.content, length: result.length ?? 0 };
  if (result.title) out.title = result.title;
  if (result.byline) out.byline = result.byline;
  if (result.excerpt) out.excerpt = result.excerpt;
  if (result.lang) out.lang = result.lang;
  return out;
}

/** A fetched page's bytes to its article: decoded by its charset (as decodeBytes), then extracted. */
export function extractPage(body: Uint8Array, url: string, contentType?: string): ExtractedArticle {
  return extractFullText(decodeBytes(body, contentType, true).text, url);
}

const TRUNCATED =
  /(…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading|more\s*»|weiterlesen|lire la suite|leer más)\W{0,3}$/i;

/** Whether an article carries only a summary: short text, or text ending the way teasers end. */
export function isSummaryOnly(article: Pick<Article, 'html'>, minChars = 500): boolean {
  const text = article.html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&[#\w]+;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length < minChars || TRUNCATED.test(text);
}
