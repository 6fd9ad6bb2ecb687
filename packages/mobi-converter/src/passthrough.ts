import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { checkRequest } from './adapter-kit.js';
import { ConverterError } from './errors.js';
import type { BookFormat, Converter } from './types.js';
import { openWorkspace } from './workspace.js';

/**
 * EPUB in, EPUB out, no external tool: the default, because Send to Kindle takes EPUB by e-mail.
 * It still checks the input, honours abort and timeout, and writes the output atomically, so the
 * pipeline treats it exactly like a real converter.
 */
export function createPassthroughConverter(): Converter {
  const formats: readonly BookFormat[] = ['epub'];
  return {
    name: 'passthrough',
    formats,
    async available() {
      return { ok: true };
    },
    async convert(given, asked) {
      const { signal } = asked;
      if (signal?.aborted) {
        throw new ConverterError('ABORTED', 'passthrough: the conversion was aborted before it started.', {
          adapter: 'passthrough',
          cause: signal.reason,
        });
      }
      const { input, request } = await checkRequest('passthrough', formats, given, asked);
      const started = performance.now();
      const timeout = AbortSignal.timeout(request.timeoutMs ?? 60_000);
      const workspace = await openWorkspace('passthrough', request.output, 'epub');
      try {
        const file = join(workspace.dir, 'book.epub');
        try {
          await pipeline(createReadStream(input), createWriteStream(file), {
            signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          });
        } catch (error) {
          if (timeout.aborted) {
            throw new ConverterError(
              'TIMEOUT',
              `passthrough: copying the book did not finish within ${request.timeoutMs ?? 60_000} ms. Raise timeoutMs or check the disk.`,
              { adapter: 'passthrough', cause: error },
            );
          }
          if (signal?.aborted) {
            throw new ConverterError('ABORTED', 'passthrough: the conversion was aborted.', {
              adapter: 'passthrough',
              cause: signal.reason,
            });
          }
          throw error;
        }
        return await workspace.commit(file, { started, warnings: [] });
      } finally {
        await workspace.dispose();
      }
    },
  };
}
