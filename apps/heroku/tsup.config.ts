import { defineConfig } from 'tsup';
import { sharedTsup } from '../../tsup.shared.ts';

export default defineConfig(sharedTsup({ web: 'src/web.ts', boot: 'src/boot.ts' }, { dts: false }));
