import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

// This file runs in its own worker, so the module cache shows which CommonJS modules were loaded.
// (Modules that the test runner itself transforms, such as the mailer's source, do not show here:
// `pnpm bench:load` checks the built package for those.)
const cache = createRequire(import.meta.url).cache;
const heavy = ['pg', 'linkedom', '@mozilla/readability', 'iconv-lite'];
const loaded = () => heavy.filter((name) => Object.keys(cache).some((path) => path.includes(`/node_modules/${name}/`)));

describe('lazy loading', () => {
  it('loads pg and the full-text DOM only when a run uses them, and only passthrough for EPUB', async () => {
    const { parseConfig } = await import('./index.js');
    const config = parseConfig({ feeds: ['https://example.org/feed'] });
    expect(loaded()).toEqual([]);

    const { converterFor } = await import('./converter.js');
    expect((await converterFor(config)).name).toBe('passthrough');

    await import('./postgres-store.js');
    expect(loaded()).toEqual(['pg']);
  });
});
