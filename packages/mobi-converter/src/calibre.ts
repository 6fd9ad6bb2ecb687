import { join } from 'node:path';
import { checkRequest, locateBinary, pickWarnings } from './adapter-kit.js';
import { ConverterError } from './errors.js';
import { outcomeFacts, runTool, toolFailure } from './run-tool.js';
import type { Availability, BookFormat, Converter } from './types.js';
import { openWorkspace } from './workspace.js';

/** Options of {@link createCalibreConverter}. */
export interface CalibreOptions {
  /** Path or name of `ebook-convert`; default `ebook-convert` (looked up on PATH). */
  binary?: string;
  /** Extra environment variables for ebook-convert (the process environment is inherited). */
  env?: Record<string, string>;
  /** Keep calibre's generated table of contents at the start of the book; default false, because news issues carry their own. */
  inlineToc?: boolean;
  /** Extra ebook-convert arguments, appended after the adapter's own. */
  extraArgs?: string[];
  /** Default timeout in milliseconds when a call gives none; default 300 000. */
  timeoutMs?: number;
}

const INSTALL =
  'Install calibre: `apt-get install -y --no-install-recommends calibre` on Debian/Ubuntu (in a Dockerfile: `RUN apt-get update && apt-get install -y --no-install-recommends calibre`), or pass `binary` with the path of ebook-convert.';

/** Kindle models mapped to calibre output profiles with the closest screen size (see KINDLE.md). */
const PROFILES: Record<string, string> = {
  basic: 'kindle_pw3',
  kindle: 'kindle_pw3',
  paperwhite: 'kindle_oasis',
  oasis: 'kindle_oasis',
  colorsoft: 'kindle_oasis',
  scribe: 'kindle_scribe',
  legacy: 'kindle',
};

/** The calibre output profile for a device name, or a raw `kindle*` profile name as given. */
export function calibreProfile(device: string | undefined): string {
  if (device === undefined) return 'kindle_pw3';
  const profile = PROFILES[device] ?? (/^kindle(_[a-z0-9]+)?$/.test(device) ? device : undefined);
  if (!profile) {
    throw new ConverterError(
      'INVALID_OPTIONS',
      `calibre: unknown device "${device}"; use one of ${Object.keys(PROFILES).join(', ')} or a calibre kindle_* output profile.`,
      { adapter: 'calibre' },
    );
  }
  return profile;
}

/**
 * Converts with calibre's `ebook-convert`: AZW3 and MOBI for Kindles loaded over USB, or an EPUB
 * re-encoded by calibre. Runs as root need Chromium's sandbox off, which calibre's Qt WebEngine
 * otherwise refuses to start without (Docker and Heroku run as root or with no user namespaces).
 */
export function createCalibreConverter(options: CalibreOptions = {}): Converter {
  const binary = options.binary ?? 'ebook-convert';
  const formats: readonly BookFormat[] = ['azw3', 'mobi', 'epub'];
  const env = (dir?: string): Record<string, string> => ({
    ...(process.getuid?.() === 0 ? { QTWEBENGINE_CHROMIUM_FLAGS: '--no-sandbox' } : {}),
    ...options.env,
    // calibre's own scratch files go to the conversion's folder and are removed with it.
    ...(dir ? { TMPDIR: dir } : {}),
  });
  return {
    name: 'calibre',
    formats,
    async available(): Promise<Availability> {
      const path = await locateBinary(binary, options.env?.PATH);
      if (!path) return { ok: false, install: INSTALL };
      try {
        const outcome = await runTool({
          adapter: 'calibre',
          binary,
          args: ['--version'],
          cwd: process.cwd(),
          timeoutMs: 30_000,
          env: env(),
          install: INSTALL,
        });
        const version = /calibre\s+([\d.]+)/.exec(outcome.stdout)?.[1];
        if (outcome.exitCode !== 0 || !version) return { ok: false, path, install: INSTALL };
        return { ok: true, version, path };
      } catch {
        return { ok: false, path, install: INSTALL };
      }
    },
    async convert(given, asked) {
      const { input, request } = await checkRequest('calibre', formats, given, asked);
      const profile = calibreProfile(request.device);
      const started = performance.now();
      const workspace = await openWorkspace('calibre', request.output, request.format);
      try {
        const file = join(workspace.dir, `book.${request.format}`);
        const args = [input, file, '--output-profile', profile];
        if (request.format !== 'epub' && !options.inlineToc) args.push('--no-inline-toc');
        args.push(...(options.extraArgs ?? []));
        const outcome = await runTool({
          adapter: 'calibre',
          binary,
          args,
          cwd: workspace.dir,
          timeoutMs: request.timeoutMs ?? options.timeoutMs ?? 300_000,
          env: env(workspace.dir),
          install: INSTALL,
          signal: request.signal,
        });
        if (outcome.exitCode !== 0 || outcome.signal) {
          throw toolFailure(
            'calibre',
            outcome,
            'Check that the input is a valid EPUB (epubcheck) and read the output above; run the same command by hand to reproduce.',
          );
        }
        const warnings = pickWarnings(`${outcome.stdout}\n${outcome.stderr}`, /^WARNING\b/i);
        return await workspace.commit(file, { started, warnings, facts: outcomeFacts(outcome) });
      } finally {
        await workspace.dispose();
      }
    },
  };
}
