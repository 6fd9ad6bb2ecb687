import { mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConverterError, type ConverterErrorFacts } from './errors.js';
import { checkBook } from './verify.js';
import type { BookFormat, ConvertResult } from './types.js';

/** A private temporary folder for one conversion. */
export interface Workspace {
  dir: string;
  /** Verifies `file` as a `format` book, moves it to `output`, and describes the result. */
  commit(
    file: string,
    extra: { started: number; warnings: string[]; facts?: ConverterErrorFacts },
  ): Promise<ConvertResult>;
  /** Removes the folder and everything a tool left in it. */
  dispose(): Promise<void>;
}

/**
 * Opens the folder next to the output, so the final move is an atomic rename on the same file
 * system and a half-written book never appears under the output name.
 */
export async function openWorkspace(adapter: string, output: string, format: BookFormat): Promise<Workspace> {
  let dir: string;
  try {
    dir = await mkdtemp(join(dirname(output), `.${basename(output)}.n2k-`));
  } catch (error) {
    throw new ConverterError(
      'OUTPUT_UNWRITABLE',
      `${adapter}: cannot write in ${dirname(output)} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); create the folder or choose another output path.`,
      { adapter, cause: error },
    );
  }
  return {
    dir,
    async commit(file, { started, warnings, facts }) {
      let problem: string | undefined;
      try {
        problem = await checkBook(file, format);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        problem = code === 'ENOENT' ? 'no file was written' : `it could not be read (${(error as Error).message})`;
      }
      if (problem) {
        throw new ConverterError(
          'BAD_OUTPUT',
          `${adapter}: the ${format.toUpperCase()} it produced is not valid: ${problem}. The tool may be broken or too old; run the command by hand and read its output.`,
          { ...facts, adapter },
        );
      }
      await rename(file, output);
      const { size } = await stat(output);
      return { path: output, bytes: size, format, ms: Math.round(performance.now() - started), warnings };
    },
    async dispose() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
