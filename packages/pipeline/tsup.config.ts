import { defineConfig } from 'tsup';
import { sharedTsup } from '../../tsup.shared.ts';

export default defineConfig(
  sharedTsup({
    index: 'src/index.ts',
    'file-store': 'src/file-store.ts',
    'postgres-store': 'src/postgres-store.ts',
    'memory-store': 'src/memory-store.ts',
    testing: 'src/testing.ts',
  }),
);
