import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConverterError } from './errors.js';
import { writeSampleEpub } from './sample-epub.js';
import type { BookFormat, Converter } from './types.js';
import { checkBook } from './verify.js';

export { writeSampleEpub } from './sample-epub.js';
export type { SampleChapter, SampleEpubOptions } from './sample-epub.js';
export { samplePng } from './sample-image.js';

/** Options of {@link runConverterConformance}. */
export interface ConformanceOptions {
  /** Formats to convert the sample book to; default every format the converter declares. */
  formats?: readonly BookFormat[];
  /** A reason to skip the tests that run the real tool (e.g. it is not installed); false runs them. */
  skipConvert?: string | false;
  /** Timeout of each real conversion in milliseconds; default 120 000. */
  timeoutMs?: number;
  /** The same adapter pointed at a tool that never finishes, to test abort and timeout. */
  hanging?: () => Converter;
  /** The same adapter pointed at a binary that does not exist. */
  missing?: () => Converter;
}

const ALL_FORMATS: readonly BookFormat[] = ['epub', 'mobi', 'azw3'];

async function expectConverterError(promise: Promise<unknown>, code: string): Promise<ConverterError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConverterError);
  expect((error as ConverterError).code).toBe(code);
  return error as ConverterError;
}

/**
 * The behaviour every converter must share, as vitest tests: it converts a small valid EPUB into
 * a verified book, refuses what it cannot do with a typed error, honours abort and timeout, reports
 * a missing binary with what to install, and leaves no temporary files. Run it from each adapter's
 * test file, yours included.
 */
export function runConverterConformance(
  name: string,
  factory: () => Converter,
  options: ConformanceOptions = {},
): void {
  describe(`${name} conformance`, () => {
    let dir = '';
    let input = '';
    const outDir = () => join(dir, 'out');
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'n2k-conformance-'));
      input = join(dir, 'in.epub');
      await writeSampleEpub(input, { title: 'Conformance', author: 'Tester', language: 'en', articles: 3 });
      await rm(outDir(), { recursive: true, force: true });
      await mkdir(outDir());
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('has a name, declares its formats and answers available() without throwing', async () => {
      const converter = factory();
      expect(converter.name).toMatch(/^[a-z0-9-]+$/);
      expect(converter.formats.length).toBeGreaterThan(0);
      const availability = await converter.available();
      expect(typeof availability.ok).toBe('boolean');
      if (!availability.ok) expect(availability.install).toBeTruthy();
    });

    const formats = options.formats ?? factory().formats;
    for (const format of formats) {
      it.skipIf(Boolean(options.skipConvert))(
        `converts a small EPUB to ${format} and leaves only the verified book`,
        async () => {
          const output = join(outDir(), `book.${format}`);
          const result = await factory().convert(input, { format, output, timeoutMs: options.timeoutMs ?? 120_000 });
          expect(result.path).toBe(output);
          expect(result.format).toBe(format);
          expect(result.bytes).toBe((await stat(output)).size);
          expect(result.bytes).toBeGreaterThan(0);
          expect(result.ms).toBeGreaterThanOrEqual(0);
          expect(Array.isArray(result.warnings)).toBe(true);
          expect(await checkBook(output, format)).toBeUndefined();
          expect(await readdir(outDir())).toEqual([`book.${format}`]);
        },
        (options.timeoutMs ?? 120_000) + 10_000,
      );
    }

    const unsupported = ALL_FORMATS.find((format) => !factory().formats.includes(format));
    it.skipIf(!unsupported)('refuses a format it does not produce', async () => {
      const output = join(outDir(), 'book');
      await expectConverterError(factory().convert(input, { format: unsupported!, output }), 'UNSUPPORTED_FORMAT');
      expect(await readdir(outDir())).toEqual([]);
    });

    it('refuses an input that is not an EPUB', async () => {
      const bogus = join(dir, 'bogus.epub');
      await writeFile(bogus, 'this is not a zip archive, just text pretending to be a book');
      const format = factory().formats[0]!;
      await expectConverterError(
        factory().convert(bogus, { format, output: join(outDir(), `book.${format}`) }),
        'INPUT_INVALID',
      );
      expect(await readdir(outDir())).toEqual([]);
    });

    it('refuses an output folder that does not exist, saying so', async () => {
      const format = factory().formats[0]!;
      const error = await expectConverterError(
        factory().convert(input, { format, output: join(dir, 'no-such-folder', `book.${format}`) }),
        'OUTPUT_UNWRITABLE',
      );
      expect(error.message).toContain(join(dir, 'no-such-folder'));
    });

    it('refuses an already aborted signal without writing anything', async () => {
      const format = factory().formats[0]!;
      const error = await expectConverterError(
        factory().convert(input, { format, output: join(outDir(), `book.${format}`), signal: AbortSignal.abort() }),
        'ABORTED',
      );
      expect(error.message).toContain('abort');
      expect(await readdir(outDir())).toEqual([]);
    });

    it.skipIf(!options.hanging)('kills the tool when aborted mid-run and cleans up', async () => {
      const converter = options.hanging!();
      const format = converter.formats[0]!;
      const controller = new AbortController();
      const started = performance.now();
      const pending = converter.convert(input, {
        format,
        output: join(outDir(), `book.${format}`),
        signal: controller.signal,
        timeoutMs: 60_000,
      });
      // The tool cannot tell us it started; give it a moment so the abort hits a running process.
      setTimeout(() => controller.abort(new Error('stop')), 300);
      await expectConverterError(pending, 'ABORTED');
      expect(performance.now() - started).toBeLessThan(20_000);
      expect(await readdir(outDir())).toEqual([]);
    });

    it.skipIf(!options.hanging)('kills the tool after timeoutMs and says to raise it', async () => {
      const converter = options.hanging!();
      const format = converter.formats[0]!;
      const error = await expectConverterError(
        converter.convert(input, { format, output: join(outDir(), `book.${format}`), timeoutMs: 500 }),
        'TIMEOUT',
      );
      expect(error.message).toContain('timeoutMs');
      expect(error.adapter).toBe(converter.name);
      expect(await readdir(outDir())).toEqual([]);
    });

    it.skipIf(!options.missing)('reports a missing binary with what to install', async () => {
      const converter = options.missing!();
      const availability = await converter.available();
      expect(availability.ok).toBe(false);
      expect(availability.install).toBeTruthy();
      const format = converter.formats[0]!;
      const error = await expectConverterError(
        converter.convert(input, { format, output: join(outDir(), `book.${format}`) }),
        'NOT_FOUND',
      );
      expect(error.message).toContain(availability.install!);
      expect(await readdir(outDir())).toEqual([]);
    });
  });
}
