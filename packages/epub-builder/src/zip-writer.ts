import { once } from 'node:events';
import { type WriteStream, createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import { EpubError } from './errors.js';
import { releaseBuffer } from './release.js';

// A minimal zip writer, written here rather than taken from yazl: yazl deflates each entry on the
// thread pool and keeps every entry's bytes until the end, so a 200-article book grew the process by
// ~250 KB per article. This one deflates synchronously, writes each entry at once (sizes and CRC in
// the local header, no data descriptors: the strictest readers want that for `mimetype`), waits for
// the disk when it lags, and keeps only the small central-directory record of each entry.

function dosDateTime(date: Date): { time: number; date: number } {
  const year = Math.max(1980, date.getUTCFullYear());
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((year - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/** Streams zip entries to a file as they are added; `mimetype` must be the first call (stored). */
export class ZipWriter {
  private readonly file: WriteStream;
  private readonly central: Buffer[] = [];
  private readonly stamp: { time: number; date: number };
  private offset = 0;
  private count = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private failure: Error | undefined;

  constructor(
    readonly path: string,
    mtime: Date,
  ) {
    this.stamp = dosDateTime(mtime);
    this.file = createWriteStream(path);
    this.file.on('error', (error) => {
      this.failure = new EpubError('WRITE_FAILED', `Could not write ${path}: ${error.message}`, { cause: error, path });
    });
  }

  private async write(buffer: Buffer, settled = false): Promise<void> {
    if (this.failure) throw this.failure;
    this.offset += buffer.length;
    if (settled) {
      // Until the write callback, the stream may still read the buffer.
      await new Promise<void>((resolve, reject) =>
        this.file.write(buffer, (error) => (error ? reject(this.failure ?? error) : resolve())),
      );
    } else if (!this.file.write(buffer)) await once(this.file, 'drain');
    if (this.failure) throw this.failure;
  }

  /**
   * Adds one entry and returns the bytes it takes in the archive (headers included). Text is
   * deflated; images are stored (JPEG/PNG do not shrink further).
   */
  add(name: string, data: string | Buffer, compress = true): Promise<number> {
    return this.enqueue(() => this.addNow(name, data, compress));
  }

  /** Entries come from articles and images at once: one at a time, or their bytes would interleave. */
  private enqueue(work: () => Promise<number>): Promise<number> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => {});
    return next;
  }

  /**
   * Adds a file's bytes, stored, and frees them as soon as they are on their way to disk: read
   * one entry at a time, so only one such file is in memory.
   */
  addFile(name: string, path: string): Promise<number> {
    return this.enqueue(async () => {
      const data = await readFile(path);
      try {
        return await this.addNow(name, data, false, true);
      } finally {
        releaseBuffer(data);
      }
    });
  }

  private async addNow(name: string, data: string | Buffer, compress: boolean, settled = false): Promise<number> {
    const raw = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const body = compress ? deflateRawSync(raw) : raw;
    const nameBytes = Buffer.from(name, 'utf8');
    const utf8 = nameBytes.length !== name.length ? 0x0800 : 0;
    const method = compress ? 8 : 0;
    const crc = crc32(raw);
    if (this.offset + body.length > 0xffffffff || this.count >= 0xffff) {
      throw new EpubError('WRITE_FAILED', `${this.path} would need zip64, which e-readers do not read`, {
        path: this.path,
      });
    }
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(utf8, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(this.stamp.time, 10);
    local.writeUInt16LE(this.stamp.date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(raw.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(utf8, 8);
    record.writeUInt16LE(method, 10);
    record.writeUInt16LE(this.stamp.time, 12);
    record.writeUInt16LE(this.stamp.date, 14);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(body.length, 20);
    record.writeUInt32LE(raw.length, 24);
    record.writeUInt16LE(nameBytes.length, 28);
    record.writeUInt32LE(this.offset, 42);
    this.central.push(record, nameBytes);
    this.count++;
    await this.write(Buffer.concat([local, nameBytes]));
    await this.write(body, settled);
    return 30 + 46 + 2 * nameBytes.length + body.length;
  }

  /** Writes the central directory and waits until the file is on disk. */
  async close(): Promise<void> {
    await this.queue;
    const start = this.offset;
    const directory = Buffer.concat(this.central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(this.count, 8);
    end.writeUInt16LE(this.count, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(start, 16);
    await this.write(directory);
    await this.write(end);
    this.file.end();
    await once(this.file, 'close').catch(() => {});
    if (this.failure) throw this.failure;
  }

  /** Stops writing (after a failure); the caller removes the partial file. */
  destroy(): void {
    this.file.destroy();
  }
}
