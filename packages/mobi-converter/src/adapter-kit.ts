import { access, constants } from 'node:fs/promises';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { ConverterError } from './errors.js';
import { checkBook } from './verify.js';
import type { BookFormat, ConvertOptions } from './types.js';

const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * Rejects requests an adapter cannot serve before anything runs, so a wrong format or a broken
 * input is reported as such instead of as a tool failure. Returns the paths made absolute: tools
 * run inside the conversion folder, where relative paths would point elsewhere.
 */
export async function checkRequest(
  adapter: string,
  formats: readonly BookFormat[],
  given: string,
  options: ConvertOptions,
): Promise<{ input: string; request: ConvertOptions }> {
  if (!formats.includes(options.format)) {
    throw new ConverterError(
      'UNSUPPORTED_FORMAT',
      `${adapter}: cannot produce "${options.format}"; it produces ${formats.join(', ')}. Use pickConverter() to choose an adapter for the format.`,
      { adapter },
    );
  }
  if (!options.output) {
    throw new ConverterError(
      'INVALID_OPTIONS',
      `${adapter}: options.output (the path of the book to write) is required.`,
      {
        adapter,
      },
    );
  }
  // Node timers fire at once above 2^31-1 ms, so a huge timeout would kill every run immediately.
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0 && options.timeoutMs <= MAX_TIMEOUT_MS)) {
    throw new ConverterError(
      'INVALID_OPTIONS',
      `${adapter}: timeoutMs must be a positive number of milliseconds, at most ${MAX_TIMEOUT_MS} (about 24 days); got ${options.timeoutMs}.`,
      { adapter },
    );
  }
  const input = resolve(given);
  let problem: string | undefined;
  try {
    problem = await checkBook(input, 'epub');
  } catch (error) {
    throw new ConverterError(
      'INPUT_INVALID',
      `${adapter}: cannot read the input EPUB ${input}: ${(error as Error).message}`,
      {
        adapter,
        cause: error,
      },
    );
  }
  if (problem) {
    throw new ConverterError('INPUT_INVALID', `${adapter}: ${input} is not an EPUB: ${problem}.`, { adapter });
  }
  return { input, request: { ...options, output: resolve(options.output) } };
}

/**
 * The absolute path of an executable, for `available()` to report. Reads PATH only to say where
 * the binary is; the child itself is started by execa with the inherited environment.
 */
export async function locateBinary(binary: string, pathVariable = process.env.PATH ?? ''): Promise<string | undefined> {
  const candidates = binary.includes('/')
    ? [isAbsolute(binary) ? binary : resolve(binary)]
    : pathVariable
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, binary));
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here; try the next folder.
    }
  }
  return undefined;
}

/** Tool output lines that report a warning, deduplicated and capped so a noisy book stays readable. */
export function pickWarnings(text: string, pattern: RegExp, max = 50): string[] {
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (pattern.test(trimmed)) seen.add(trimmed);
    if (seen.size >= max) break;
  }
  return [...seen];
}
