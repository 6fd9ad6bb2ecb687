import { defineConfig } from 'tsup';
import { sharedTsup } from '../../tsup.shared.ts';

export default defineConfig(
  sharedTsup({
    index: 'src/index.ts',
    passthrough: 'src/passthrough.ts',
    calibre: 'src/calibre.ts',
    kindlegen: 'src/kindlegen.ts',
    testing: 'src/testing.ts',
  }),
);
