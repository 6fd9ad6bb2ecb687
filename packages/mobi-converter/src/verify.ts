import { open } from 'node:fs/promises';
import type { BookFormat } from './types.js';

/** Reads the first `length` bytes of a file (fewer when the file is shorter). */
async function readHead(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Why a file is not a valid book of `format`, or undefined when it is. A converter can exit 0
 * and still leave an empty or truncated file, so success is only reported after this check.
 */
export async function checkBook(path: string, format: BookFormat): Promise<string | undefined> {
  if (format === 'epub') {
    // A ZIP local file header, stored entry named `mimetype`, first in the archive (OCF rule).
    const head = await readHead(path, 30 + 256);
    if (head.length < 38 || head.readUInt32LE(0) !== 0x04034b50) return 'it is not a ZIP archive';
    const nameLength = Math.min(head.readUInt16LE(26), 256);
    const name = head.subarray(30, 30 + nameLength).toString('utf8');
    if (name !== 'mimetype') return `its first ZIP entry is "${name}", not "mimetype"`;
    return undefined;
  }
  // MOBI and AZW3 are PalmDB files: type and creator `BOOK` `MOBI` at offset 60.
  const head = await readHead(path, 68);
  if (head.length < 68) return `it is only ${head.length} bytes long`;
  const magic = head.subarray(60, 68).toString('latin1');
  if (magic !== 'BOOKMOBI') return 'it has no BOOKMOBI header at offset 60';
  return undefined;
}
