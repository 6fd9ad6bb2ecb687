import { createHash } from 'node:crypto';
import sharp, { type Metadata } from 'sharp';
import type { DeviceProfile } from './devices.js';
import { createLimiter } from './limiter.js';
import { sniffImage } from './sniff.js';
import { oneLine } from './xml.js';

export interface ImageOptions {
  device: DeviceProfile;
  fetch: typeof fetch;
  timeoutMs: number;
  concurrency: number;
  convertConcurrency: number;
  maxBytes: number;
  maxPixels: number;
  budgetBytes: number;
  signal?: AbortSignal | undefined;
  /** Stores the finished image in the book; returns the bytes it took. */
  write: (name: string, data: Buffer) => Promise<number>;
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

/**
 * Fetches, checks, converts and scales article images, writing each finished image to the book once.
 * Only small metadata is kept per image: the bytes go to the zip as soon as they are ready.
 */
export class ImageStore {
  readonly manifest: ManifestImage[] = [];
  private readonly byUrl = new Map<string, Promise<ImageResult>>();
  private readonly byHash = new Map<
    string,
    Promise<ManifestImage & { width: number; height: number; bytes: number }>
  >();
  private readonly limit: ReturnType<typeof createLimiter>;
  // Decoding is where CPU and memory go (a 12-megapixel photo is 36 MB of pixels): a few images at
  // once, across articles, so every core works while the memory in flight stays bounded.
  private readonly convertLimit: ReturnType<typeof createLimiter>;
  private used = 0;
  private budgetWarned = false;
  readonly warnings: string[] = [];

  constructor(private readonly options: ImageOptions) {
    this.limit = createLimiter(Math.max(1, options.concurrency));
    this.convertLimit = createLimiter(Math.max(1, options.convertConcurrency));
  }

  /** The image at `url`, processed once however many articles use it. */
  get(url: string): Promise<ImageResult> {
    let result = this.byUrl.get(url);
    if (!result) {
      result = this.limit(() => this.process(url));
      this.byUrl.set(url, result);
      return result;
    }
    return result.then((r) => (r.ok ? { ...r, first: false, bytes: 0 } : r));
  }

  private async process(url: string): Promise<ImageResult> {
    try {
      if (this.used >= this.options.budgetBytes) throw new ImageFailure('image budget used up');
      const source = url.startsWith('data:') ? decodeDataUrl(url) : await this.download(url);
      const type = sniffImage(source);
      if (!type) throw new ImageFailure('not an image (unknown bytes)');
      const hash = createHash('sha256').update(source).digest('hex').slice(0, 20);
      const seen = this.byHash.get(hash);
      if (seen) {
        const entry = await seen;
        return { ok: true, url, ...entry, bytes: 0, first: false };
      }
      const pending = this.convertLimit(() => this.store(hash, source, type));
      this.byHash.set(hash, pending);
      // A failed image may be tried again under another URL.
      pending.catch(() => this.byHash.delete(hash));
      const entry = await pending;
      return { ok: true, url, ...entry, first: true };
    } catch (error) {
      if (this.options.signal?.aborted) throw this.options.signal.reason;
      return { ok: false, reason: error instanceof Error ? error.message : String(error) };
    }
  }

  private async store(hash: string, source: Buffer, type: string) {
    const { data, mediaType, width, height } = await this.convert(source, type);
    if (this.used + data.length > this.options.budgetBytes) {
      if (!this.budgetWarned)
        this.warnings.push(`Image budget of ${this.options.budgetBytes} bytes reached: later images are left out`);
      this.budgetWarned = true;
      throw new ImageFailure('image budget used up');
    }
    this.used += data.length;
    const href = `images/${hash}.${mediaType === 'image/png' ? 'png' : 'jpg'}`;
    const bytes = await this.options.write(`OEBPS/${href}`, data);
    this.manifest.push({ href, mediaType });
    return { href, mediaType, width, height, bytes };
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
      return Buffer.concat(parts);
    } catch (error) {
      if (error instanceof ImageFailure) throw error;
      if (timeout.aborted) throw new ImageFailure(`timed out after ${this.options.timeoutMs} ms`);
      throw new ImageFailure(`fetch failed: ${(error as Error).message}`);
    }
  }

  private async convert(source: Buffer, type: string) {
    const { device, maxPixels } = this.options;
    const input = () =>
      sharp(source, {
        limitInputPixels: maxPixels,
        failOn: 'error',
        animated: false,
        density: type === 'svg' ? 144 : 72,
      });
    let meta: Metadata;
    try {
      meta = await input().metadata();
    } catch (error) {
      const message = (error as Error).message;
      if (/pixel limit/i.test(message))
        throw new ImageFailure(`too many pixels (over ${maxPixels}): a decompression bomb?`);
      throw new ImageFailure(`unreadable ${type}: ${oneLine(message)}`);
    }
    const width = meta.width ?? 0;
    const height = meta.pageHeight ?? meta.height ?? 0;
    if (width * height > maxPixels) throw new ImageFailure(`too many pixels (${width}×${height})`);
    if (width < 4 || height < 4) throw new ImageFailure(`too small (${width}×${height}): a tracking pixel`);
    // Drawings (PNG, GIF, SVG) stay PNG; photographs become JPEG, which is far smaller. A PNG that
    // is opaque and compresses badly (over 0.4 bytes a pixel; flat charts and screenshots take
    // well under 0.2) is a photograph saved as PNG.
    const photoPng = type === 'png' && !meta.hasAlpha && source.length / (width * height) > 0.4;
    const graphic = (type === 'png' && !photoPng) || type === 'gif' || type === 'svg';
    let pipeline = input()
      .rotate()
      .resize({ width: device.width, height: device.height, fit: 'inside', withoutEnlargement: true });
    if (!device.color) pipeline = pipeline.grayscale().toColourspace('b-w');
    try {
      const { data, info } = graphic
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
            .toBuffer({ resolveWithObject: true })
        : await pipeline
            .flatten({ background: '#ffffff' })
            // q60 with table 3 (ImageMagick's) and optimised Huffman codes: ~40% smaller than q72
            // with libjpeg's table, at the same speed; mozjpeg's trellis would save ~25% more but
            // costs 3–4× the CPU. q60 reads well in 16 greys; colour screens get more.
            .jpeg({ quality: device.color ? 75 : 60, quantisationTable: 3, optimiseCoding: true, mozjpeg: false })
            .toBuffer({ resolveWithObject: true });
      return { data, mediaType: graphic ? 'image/png' : 'image/jpeg', width: info.width, height: info.height };
    } catch (error) {
      throw new ImageFailure(`could not convert ${type}: ${oneLine((error as Error).message)}`);
    }
  }
}

function decodeDataUrl(url: string): Buffer {
  const comma = url.indexOf(',');
  if (comma < 0 || !url.slice(0, comma).endsWith(';base64')) throw new ImageFailure('unsupported data URL');
  return Buffer.from(url.slice(comma + 1), 'base64');
}
