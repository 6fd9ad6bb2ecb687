import type { DeviceName } from './devices.js';

/** One issue of the newspaper: sections (one per feed) of articles. */
export interface Issue {
  /** The newspaper's name, e.g. "News"; the book title becomes "News — 2026-11-29". */
  title: string;
  date: Date;
  /** BCP 47; detected from the articles' text when absent. */
  language?: string;
  creator?: string;
  publisher?: string;
  sections: Section[];
}

export interface Section {
  title: string;
  url?: string;
  articles: IssueArticle[];
}

export interface IssueArticle {
  /** Stable id chosen by the caller (returned in `BuildResult.articleIds`). */
  id: string;
  title: string;
  url?: string;
  author?: string;
  published?: Date;
  /** Article HTML (a fragment or a whole page); sanitised into XHTML here. */
  html: string;
  /** BCP 47; kept as the article's `xml:lang` when it differs from the book's. */
  language?: string;
  dir?: 'ltr' | 'rtl';
  summary?: string;
}

/** What the builder reports while it works. */
export type ProgressEvent =
  | { type: 'article'; index: number; total: number; id: string }
  | { type: 'image'; url: string; ok: boolean; bytes: number }
  | { type: 'done'; path: string; bytes: number };

export interface BuildOptions {
  /** Path of the .epub to write (its folder must exist). */
  output: string;
  /** Screen to scale images for (default `paperwhite`). */
  device?: DeviceName;
  /** Include images (default true). */
  images?: boolean;
  /** Stop adding images once they take this many bytes in the book (default 30 MB). */
  imageBudgetBytes?: number;
  /**
   * Fetch used for images. Default: `leanFetch` from @news2kindle/lean-fetch (fetch on node:http;
   * Node's built-in undici fetch costs ~23 MB more memory over 1000 requests).
   */
  fetch?: typeof fetch;
  /** Per image, including the body (default 15 s). */
  imageTimeoutMs?: number;
  /** Images fetched at once (default 8). */
  imageConcurrency?: number;
  /**
   * Images decoded and converted at once, across articles (default `min(4, availableParallelism())`).
   * Each one in flight holds its decoded pixels (about 3 MB for a 1200×800 photo) in native memory.
   */
  imageConvertConcurrency?: number;
  /**
   * libvips memory the conversions in flight may take together, estimated from each image's header
   * (default 24 MB; ~4 MB for a 1200×800 JPEG, ~15 MB for a WebP of that size, which is decoded
   * whole). Fewer conversions overlap when large or WebP images meet; one larger than this runs alone.
   */
  imageConvertMemoryBytes?: number;
  /**
   * Articles prepared (images fetched and converted) ahead of the one being written, so conversions
   * overlap across articles while the book is still written in reading order (default 8).
   */
  lookahead?: number;
  /** Largest image body accepted, before decoding (default 15 MB). */
  imageMaxBytes?: number;
  /** Largest decoded image accepted, in pixels: a guard against decompression bombs (default 50 M). */
  imageMaxPixels?: number;
  /**
   * Leave libvips' operation cache as it is (default false: while builds run, a cache still at
   * sharp's defaults is turned off, then put back; it is process-wide, see the README).
   */
  leaveSharpCache?: boolean;
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** Clock for `dcterms:modified` (default: now). */
  now?: Date;
  /** Overrides the book title (volumes use it for "(1/2)"). */
  title?: string;
  /** Identifier for `dc:identifier` (default: derived from title and date). */
  identifier?: string;
}

export interface BuildResult {
  path: string;
  bytes: number;
  articles: number;
  images: number;
  warnings: string[];
  articleIds: string[];
  /** Compressed bytes each article (with its images) adds to the book, by article id. */
  articleBytes: Record<string, number>;
  language: string;
  title: string;
}

/** One broken Kindle rule found by {@link lintKindle}. */
export interface KindleFinding {
  rule: string;
  file?: string;
  message: string;
}
