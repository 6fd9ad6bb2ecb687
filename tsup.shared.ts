import type { Options } from 'tsup';

/**
 * The one build configuration every package spreads. Kept in one file so a
 * move to tsup's successor touches this file only.
 */
export function sharedTsup(entry: Record<string, string> | string[], extra: Options = {}): Options {
  return {
    entry,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: {
      // Types are built against siblings' published .d.ts, not their sources.
      compilerOptions: { customConditions: [] },
    },
    sourcemap: true,
    clean: true,
    // Shared chunks, so an error class exported from several entries stays one class (instanceof works).
    splitting: true,
    treeshake: true,
    outDir: 'dist',
    ...extra,
  };
}
