import { chmod, writeFile } from 'node:fs/promises';
import { ConverterError } from './errors.js';
import { join } from 'node:path';

/**
 * Test-only: writes an executable shell script standing in for a converter, so each failure
 * path (bad exit, hang, garbage, crash) runs for real without calibre or kindlegen.
 */
export async function writeFakeTool(dir: string, name: string, body: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
  return path;
}

/** Shell that writes a file with a valid-looking PalmDB/MOBI header (BOOKMOBI at offset 60) to "$1". */
export const WRITE_MOBI = `printf '%060dBOOKMOBI%s' 0 'fake book body' > "$out"`;

/** Test-only: the ConverterError a promise rejects with; anything else fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<ConverterError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConverterError) return error;
    throw error;
  }
  throw new Error('expected the promise to reject with a ConverterError');
}
