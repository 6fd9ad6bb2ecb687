import { defineConfig } from 'tsup';
import { sharedTsup } from '../../tsup.shared.ts';

export default defineConfig(sharedTsup({ index: 'src/index.ts', 'extract-worker': 'src/extract-worker.ts' }));
