import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** Condition that maps each workspace library to its `src/` so tests need no build. */
export const SOURCE_CONDITION = '@news2kindle/source';

/** Options every project shares; projects do not inherit the root config. */
export const sharedVitest = defineConfig({
  resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    restoreMocks: true,
  },
});
