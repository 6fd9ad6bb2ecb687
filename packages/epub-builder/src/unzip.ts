import yauzl from 'yauzl';

/** One entry of a zip, with its text (for text files) or first bytes (for the rest). */
export interface ZipEntryInfo {
  name: string;
  index: number;
  compressionMethod: number;
  size: number;
  extraFieldLength: number;
  data: Buffer;
}

const TEXT = /\.(xhtml|html|htm|opf|ncx|xml|css|svg)$|^mimetype$/i;
const HEAD_BYTES = 64;

/** Reads a zip's entries: whole text files, only the first bytes of images and other binaries. */
export function readZip(path: string, readWhole: (name: string) => boolean = () => false): Promise<ZipEntryInfo[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (error, zip) => {
      if (error || !zip) return reject(error);
      const entries: ZipEntryInfo[] = [];
      let index = 0;
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        const i = index++;
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        const whole = TEXT.test(entry.fileName) || readWhole(entry.fileName);
        zip.openReadStream(entry, (err, stream) => {
          if (err || !stream) return reject(err);
          const parts: Buffer[] = [];
          let got = 0;
          stream.on('data', (chunk: Buffer) => {
            if (whole || got < HEAD_BYTES) {
              parts.push(chunk);
              got += chunk.length;
            }
          });
          stream.on('error', reject);
          stream.on('end', () => {
            const data = Buffer.concat(parts);
            entries.push({
              name: entry.fileName,
              index: i,
              compressionMethod: entry.compressionMethod,
              size: entry.uncompressedSize,
              extraFieldLength: entry.extraFieldLength,
              data: whole ? data : data.subarray(0, HEAD_BYTES),
            });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}
