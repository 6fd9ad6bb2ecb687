import { type WriteStream, createWriteStream } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import yazl from 'yazl';
import { EpubError } from './errors.js';

// Bytes allowed to wait between the zip encoder and the disk before `add` waits: keeps memory flat
// however many articles and images the book has.
const HIGH_WATER = 4 * 1024 * 1024;

/** Streams zip entries to a file as they are added; `mimetype` must be the first call (stored). */
export class ZipWriter {
  private readonly zip = new yazl.ZipFile();
  private readonly file: WriteStream;
  private readonly finished: Promise<void>;
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    private readonly mtime: Date,
  ) {
    this.file = createWriteStream(path);
    this.zip.outputStream.pipe(this.file);
    this.finished = new Promise<void>((resolve, reject) => {
      const fail = (error: Error) => {
        this.failure = error;
        reject(new EpubError('WRITE_FAILED', `Could not write ${path}: ${error.message}`, { cause: error, path }));
      };
      this.file.on('close', () => (this.failure ? undefined : resolve()));
      this.file.on('error', fail);
      this.zip.outputStream.on('error', fail);
    });
    this.finished.catch(() => {});
  }

  /**
   * Adds one entry and returns the bytes it takes in the archive. Text is deflated; images are
   * stored (JPEG/PNG do not shrink further).
   */
  async add(name: string, data: string | Buffer, compress = true): Promise<number> {
    if (this.failure) throw this.failure;
    const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    this.zip.addBuffer(buffer, name, { compress, mtime: this.mtime, forceDosTimestamp: true });
    const nameBytes = Buffer.byteLength(name);
    const size = compress ? deflateRawSync(buffer).length : buffer.length;
    while (
      (this.zip.outputStream as unknown as { readableLength: number }).readableLength + this.file.writableLength >
        HIGH_WATER &&
      !this.failure
    ) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return size + 30 + 46 + 2 * nameBytes;
  }

  /** Writes the central directory and waits until the file is on disk. */
  async close(): Promise<void> {
    this.zip.end();
    await this.finished;
  }

  /** Stops writing (after a failure); the caller removes the partial file. */
  destroy(): void {
    this.file.destroy();
  }
}
