import { createHash } from 'node:crypto';
import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import sharp, { type Metadata } from 'sharp';
import type { DeviceProfile } from './devices.js';
import { createLimiter, createWeightedLimiter } from './limiter.js';
import { releaseBuffer as release } from './release.js';
import { sniffImage } from './sniff.js';
import { oneLine } from './xml.js';

export interface ImageOptions {
  device: DeviceProfile;
  fetch: typeof fetch;
  timeoutMs: number;
  concurrency: number;
  convertConcurrency: number;
  /** Estimated libvips memory of the conversions in flight (see {@link workingBytes}). */
  convertMemory: number;
  maxBytes: number;
  maxPixels: number;
  budgetBytes: number;
  signal?: AbortSignal | undefined;
  /** Folder for converted images on their way into the book (the caller removes it). */
  tempDir: string;
  /** Copies the finished image (a file) into the book; returns the bytes it took. */
  write: (name: string, file: string) => Promise<number>;
}

/** A finished image in the book, or why it is left out. */
export type ImageResult =
  | {
      ok: true;
      url: string;
      href: string;
      mediaType: string;
      width: number;
      height: number;
      bytes: number;
      first: boolean;
    }
  | { ok: false; reason: string };

export interface ManifestImage {
  href: string;
  mediaType: string;
}

class ImageFailure extends Error {}

/** An image in the book, shared by every URL that served the same bytes. */
type Entry = ManifestImage & { width: number; height: number; bytes: number };

/** A converted image waiting on disk for its turn to enter the book. */
interface Converted {
  file: string;
  size: number;
  mediaType: string;
  width: number;
  height: number;
}

/** A fetched image: converted, or bytes that are already in the book. */
type Staged = { hash: string; image: Converted } | { hash: string; copy: Entry };

/**
 * Fetches, checks, converts and scales article images, writing each finished image to the book once.
 * Only small metadata is kept per image: a converted image waits for its turn as a file on disk.
 */
export class ImageStore {
  readonly manifest: ManifestImage[] = [];
  private readonly byUrl = new Map<string, Promise<ImageResult>>();
  /** Images in the book by a hash of their source bytes, so another URL serving them reuses them. */
  private readonly inBook = new Map<string, Entry>();
  private readonly limit: ReturnType<typeof createLimiter>;
  // Decoding is where CPU and memory go (a 12-megapixel photo is 36 MB of pixels): a few images at
  // once, across articles, so every core works while the memory in flight stays bounded.
  // …and weighed by the memory each needs: two WebP photos at once took 28 MB in libvips.
  private readonly convertLimit: ReturnType<typeof createWeightedLimiter>;
  private used = 0;
  /** Settles once every image asked for so far is in the book or left out. */
  private turn: Promise<void> = Promise.resolve();
  private files = 0;
  private tempDir: Promise<unknown> | undefined;
  private closed = false;
  private readonly running = new Set<Promise<unknown>>();
  private budgetWarned = false;
  readonly warnings: string[] = [];

  constructor(private readonly options: ImageOptions) {
    this.limit = createLimiter(Math.max(1, options.concurrency));
    this.convertLimit = createWeightedLimiter(Math.max(1, options.convertConcurrency), options.convertMemory);
  }

  /**
   * The image at `url`, processed once however many articles use it. Images are fetched and
   * converted concurrently, but each enters the book (or is left out under the byte budget) only
   * after every image asked for before it: the order of `get` calls decides, not the speed of
   * servers and conversions, so the same articles always make the same book.
   */
  get(url: string): Promise<ImageResult> {
    let result = this.byUrl.get(url);
    if (!result) {
      const previous = this.turn;
      result = this.process(url, previous);
      this.turn = Promise.allSettled([previous, result]).then(() => {});
      this.byUrl.set(url, result);
      return result;
    }
    return result.then((r) => (r.ok ? { ...r, first: false, bytes: 0 } : r));
  }

  private async process(url: string, previous: Promise<void>): Promise<ImageResult> {
    let staged: Staged | undefined;
    try {
      // The fetch slot is held while the image is fetched and converted, never while it waits
      // for its turn, so a slow early image cannot stall the others.
      staged = await this.limit(() => this.stage(url));
      await previous;
      if (this.closed) throw new ImageFailure('the build has stopped');
      return await this.track(this.commit(url, staged));
    } catch (error) {
      if (this.options.signal?.aborted) throw this.options.signal.reason;
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    } finally {
      if (staged && 'image' in staged) await unlink(staged.image.file).catch(() => {});
    }
  }

  /** Fetches, checks and converts the image to a file, unless its bytes are already in the book. */
  private async stage(url: string): Promise<Staged> {
    if (this.used >= this.options.budgetBytes) throw new ImageFailure('image budget used up');
    const source = url.startsWith('data:') ? decodeDataUrl(url) : await this.download(url);
    try {
      const type = sniffImage(source);
      if (!type) throw new ImageFailure('not an image (unknown bytes)');
      const hash = createHash('sha256').update(source).digest('hex').slice(0, 20);
      // Bytes another URL is still converting are converted again: rare, and it keeps every
      // decision in request order (the earliest request owns the image).
      const copy = this.inBook.get(hash);
      if (copy) return { hash, copy };
      const meta = await this.inspect(source, type);
      const image = await this.convertLimit(workingBytes(type, meta, this.options.device), () =>
        this.convert(source, type, meta),
      );
      return { hash, image };
    } finally {
      // sharp has let go of the bytes once its promise settles, success or not.
      release(source);
    }
  }

  /** Puts a staged image into the book, or a copy of the same bytes already there. */
  private async commit(url: string, staged: Staged): Promise<ImageResult> {
    // Same bytes as an image already in the book (found when fetched, or now): point to it.
    const asCopy = (entry: Entry): ImageResult => ({ ok: true, url, ...entry, bytes: 0, first: false });
    if ('copy' in staged) return asCopy(staged.copy);
    const copy = this.inBook.get(staged.hash);
    if (copy) return asCopy(copy);
    const { hash } = staged;
    const { file, size, mediaType, width, height } = staged.image;
    if (this.used + size > this.options.budgetBytes) {
      if (!this.budgetWarned)
        this.warnings.push(`Image budget of ${this.options.budgetBytes} bytes reached: later images are left out`);
      this.budgetWarned = true;
      throw new ImageFailure('image budget used up');
    }
    this.used += size;
    const href = `images/${hash}.${mediaType === 'image/png' ? 'png' : 'jpg'}`;
    const bytes = await this.options.write(`OEBPS/${href}`, file);
    this.manifest.push({ href, mediaType });
    const entry = { href, mediaType, width, height, bytes };
    this.inBook.set(hash, entry);
    return { ok: true, url, ...entry, first: true };
  }

  /**
   * Starts no more conversions and waits for those running and for images being written, so their
   * files are gone and the caller can remove the folder (an aborted build returns only after this).
   */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.running]);
  }

  /** Counts the work as running until it settles, for {@link close}. */
  private track<T>(work: Promise<T>): Promise<T> {
    this.running.add(work);
    const done = () => this.running.delete(work);
    work.then(done, done);
    return work;
  }

  private async convert(source: Buffer, type: string, meta: Metadata): Promise<Converted> {
    if (this.closed) throw new ImageFailure('the build has stopped');
    // sharp writes the result to a file rather than a Buffer: its Buffers are owned by native code,
    // so they could only be freed by a major GC (see release.ts). One name per conversion: the same
    // bytes under two URLs may be converted at once.
    this.tempDir ??= mkdir(this.options.tempDir, { recursive: true });
    const work = this.tempDir.then(() =>
      this.toFile(source, type, meta, join(this.options.tempDir, `i${++this.files}`)),
    );
    return this.track(work);
  }

  private async download(url: string): Promise<Buffer> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    try {
      const response = await this.options.fetch(url, {
        signal,
        headers: { accept: 'image/jpeg,image/png,image/*;q=0.8' },
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        throw new ImageFailure(`HTTP ${response.status}`);
      }
      const declared = Number(response.headers.get('content-length'));
      if (declared > this.options.maxBytes) {
        await response.body?.cancel().catch(() => {});
        throw new ImageFailure(`too large (${declared} bytes)`);
      }
      const parts: Uint8Array[] = [];
      let total = 0;
      if (response.body) {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          total += chunk.length;
          if (total > this.options.maxBytes) throw new ImageFailure(`too large (over ${this.options.maxBytes} bytes)`);
          parts.push(chunk);
        }
      }
      // One buffer of our own (never a slice of Node's shared pool), so release() may free it.
      const body = Buffer.allocUnsafeSlow(total);
      let at = 0;
      for (const part of parts) {
        body.set(part, at);
        at += part.length;
        // fetch hands over each chunk (its own memory, 64 KB at most): free it now, not at a major GC.
        release(part);
      }
      return body;
    } catch (error) {
      if (error instanceof ImageFailure) throw error;
      if (timeout.aborted) throw new ImageFailure(`timed out after ${this.options.timeoutMs} ms`);
      throw new ImageFailure(`fetch failed: ${(error as Error).message}`);
    }
  }

  private input(source: Buffer, type: string) {
    return sharp(source, {
      limitInputPixels: this.options.maxPixels,
      failOn: 'error',
      animated: false,
      density: type === 'svg' ? 144 : 72,
    });
  }

  /** Reads the header only (cheap), so bombs and tracking pixels are refused before any decoding. */
  private async inspect(source: Buffer, type: string): Promise<Metadata> {
    const { maxPixels } = this.options;
    let meta: Metadata;
    try {
      meta = await this.input(source, type).metadata();
    } catch (error) {
      const message = (error as Error).message;
      if (/pixel limit/i.test(message))
        throw new ImageFailure(`too many pixels (over ${maxPixels}): a decompression bomb?`);
      throw new ImageFailure(`unreadable ${type}: ${oneLine(message)}`);
    }
    const { width, height } = dimensions(meta);
    if (width * height > maxPixels) throw new ImageFailure(`too many pixels (${width}×${height})`);
    if (width < 4 || height < 4) throw new ImageFailure(`too small (${width}×${height}): a tracking pixel`);
    return meta;
  }

  private async toFile(source: Buffer, type: string, meta: Metadata, base: string): Promise<Converted> {
    const { device } = this.options;
    const { width, height } = dimensions(meta);
    const input = () => this.input(source, type);
    // Drawings (PNG, GIF, SVG) stay PNG; photographs become JPEG, which is far smaller. A PNG that
    // is opaque and compresses badly (over 0.4 bytes a pixel; flat charts and screenshots take
    // well under 0.2) is a photograph saved as PNG.
    const photoPng = type === 'png' && !meta.hasAlpha && source.length / (width * height) > 0.4;
    const graphic = (type === 'png' && !photoPng) || type === 'gif' || type === 'svg';
    let pipeline = input()
      .rotate()
      .resize({ width: device.width, height: device.height, fit: 'inside', withoutEnlargement: true });
    if (!device.color) pipeline = pipeline.grayscale().toColourspace('b-w');
    const file = `${base}.${graphic ? 'png' : 'jpg'}`;
    try {
      const info = graphic
        ? await pipeline
            // effort 1 quantises 2–3× faster than the default 7 at about the same size for 16 greys;
            // dithering on a 16-grey e-ink screen only adds noise that compresses badly.
            .png({
              compressionLevel: 6,
              palette: true,
              colours: device.color ? 256 : 16,
              effort: 1,
              dither: device.color ? 1 : 0,
            })
            .toFile(file)
        : await pipeline
            .flatten({ background: '#ffffff' })
            // q60 with table 3 (ImageMagick's) and optimised Huffman codes: ~40% smaller than q72
            // with libjpeg's table, at the same speed; mozjpeg's trellis would save ~25% more but
            // costs 3–4× the CPU. q60 reads well in 16 greys; colour screens get more.
            .jpeg({ quality: device.color ? 75 : 60, quantisationTable: 3, optimiseCoding: true, mozjpeg: false })
            .toFile(file);
      return {
        file,
        size: info.size,
        mediaType: graphic ? 'image/png' : 'image/jpeg',
        width: info.width,
        height: info.height,
      };
    } catch (error) {
      await unlink(file).catch(() => {});
      throw new ImageFailure(`could not convert ${type}: ${oneLine((error as Error).message)}`);
    }
  }
}

/**
 * libvips memory one conversion needs, estimated from the header. JPEG is decoded as a stream and
 * PNG row by row: measured 2–4 MB for 1200×800 and 800×533 images, about 4 bytes a source pixel (8
 * for PNG: palette quantisation holds RGBA). WebP, AVIF/HEIF, GIF, SVG, TIFF and BMP are decoded
 * whole, WebP into several RGBA canvases: 14 MB for a 1200×800 photo, about 16 bytes a pixel.
 * JPEG and WebP larger than the screen are shrunk while decoding (by 2, 4 or 8).
 */
export function workingBytes(
  type: string,
  meta: Pick<Metadata, 'width' | 'height' | 'pageHeight'>,
  screen: { width: number; height: number },
): number {
  const { width, height } = dimensions(meta);
  let pixels = width * height;
  if (type === 'jpeg' || type === 'webp') {
    const scale = Math.max(width / screen.width, height / screen.height);
    const shrink = scale >= 8 ? 8 : scale >= 4 ? 4 : scale >= 2 ? 2 : 1;
    pixels /= shrink * shrink;
  }
  return pixels * (type === 'jpeg' ? 4 : type === 'png' ? 8 : 16);
}

/** Width and height of one frame (an animation's pages are stacked in `height`). */
function dimensions(meta: Pick<Metadata, 'width' | 'height' | 'pageHeight'>): { width: number; height: number } {
  return { width: meta.width ?? 0, height: meta.pageHeight ?? meta.height ?? 0 };
}

function decodeDataUrl(url: string): Buffer {
  const comma = url.indexOf(',');
  if (comma < 0 || !url.slice(0, comma).endsWith(';base64')) throw new ImageFailure('unsupported data URL');
  return Buffer.from(url.slice(comma + 1), 'base64');
}
