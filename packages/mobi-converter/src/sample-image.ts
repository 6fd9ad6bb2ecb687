import { crc32, deflateSync } from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A deterministic RGB PNG with a gradient and some noise, so sample books carry images that
 * converters must really decode and rescale. Built with node:zlib only, so it needs no image library.
 */
export function samplePng(width: number, height: number, seed = 1): Buffer {
  let state = seed >>> 0 || 1;
  const noise = () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return (state >>> 16) % 24;
  };
  const row = width * 3 + 1;
  const raw = Buffer.alloc(row * height);
  for (let y = 0; y < height; y++) {
    raw[y * row] = 0; // filter: none
    let n = 0;
    for (let x = 0; x < width; x++) {
      const i = y * row + 1 + x * 3;
      // Noise in short runs: detail a converter must keep, at a size close to a news photo's.
      if (x % 6 === 0) n = noise();
      raw[i] = ((x * 200) / width + n) & 0xff;
      raw[i + 1] = ((y * 200) / height + n) & 0xff;
      raw[i + 2] = (seed * 53 + n) & 0xff;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bit depth
  header.writeUInt8(2, 9); // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
