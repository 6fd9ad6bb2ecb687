import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkRequest, locateBinary, pickWarnings } from './adapter-kit.js';
import { outcomeFacts, runTool, toolFailure } from './run-tool.js';
import type { Availability, BookFormat, Converter } from './types.js';
import { openWorkspace } from './workspace.js';

/** Options of {@link createKindlegenConverter}. */
export interface KindlegenOptions {
  /** Path or name of `kindlegen`; default `kindlegen` (looked up on PATH). */
  binary?: string;
  /** Default timeout in milliseconds when a call gives none; default 300 000. */
  timeoutMs?: number;
}

const INSTALL =
  'kindlegen is retired and Amazon no longer offers it for download: if you have a copy, put it on PATH or pass `binary`; otherwise use the calibre converter (`apt-get install -y --no-install-recommends calibre`).';

/**
 * Converts with Amazon's retired `kindlegen`, for users who still have the binary. It writes a
 * dual MOBI (MOBI 7 + KF8) next to its input, so the input is copied into the conversion's folder
 * first. Its exit codes: 0 built, 1 built with warnings (still a book), 2 failed.
 */
export function createKindlegenConverter(options: KindlegenOptions = {}): Converter {
  const binary = options.binary ?? 'kindlegen';
  const formats: readonly BookFormat[] = ['mobi'];
  return {
    name: 'kindlegen',
    formats,
    async available(): Promise<Availability> {
      const path = await locateBinary(binary);
      if (!path) return { ok: false, install: INSTALL };
      try {
        // Run bare, kindlegen prints its banner ("Amazon kindlegen(Linux) V2.9 build …") and usage.
        const outcome = await runTool({
          adapter: 'kindlegen',
          binary,
          args: [],
          cwd: process.cwd(),
          timeoutMs: 30_000,
          install: INSTALL,
        });
        const version = /kindlegen[^\n]*?\bV(\d+(?:\.\d+)+)/i.exec(`${outcome.stdout}\n${outcome.stderr}`)?.[1];
        if (!version || outcome.signal) return { ok: false, path, install: INSTALL };
        return { ok: true, version, path };
      } catch {
        return { ok: false, path, install: INSTALL };
      }
    },
    async convert(given, asked) {
      const { input, request } = await checkRequest('kindlegen', formats, given, asked);
      const started = performance.now();
      const workspace = await openWorkspace('kindlegen', request.output, request.format);
      try {
        await copyFile(input, join(workspace.dir, 'book.epub'));
        const outcome = await runTool({
          adapter: 'kindlegen',
          binary,
          args: ['book.epub', '-o', 'book.mobi', '-dont_append_source'],
          cwd: workspace.dir,
          timeoutMs: request.timeoutMs ?? options.timeoutMs ?? 300_000,
          install: INSTALL,
          signal: request.signal,
        });
        const text = `${outcome.stdout}\n${outcome.stderr}`;
        if (outcome.signal || (outcome.exitCode !== 0 && outcome.exitCode !== 1)) {
          const errors = pickWarnings(text, /^Error\(/, 3).join(' ');
          throw toolFailure(
            'kindlegen',
            outcome,
            `${errors ? `${errors} ` : ''}kindlegen could not build the book; fix the reported EPUB errors or use the calibre converter.`,
          );
        }
        const warnings = pickWarnings(text, /^Warning\(/);
        return await workspace.commit(join(workspace.dir, 'book.mobi'), {
          started,
          warnings,
          facts: outcomeFacts(outcome),
        });
      } finally {
        await workspace.dispose();
      }
    },
  };
}
