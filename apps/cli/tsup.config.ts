import { defineConfig } from 'tsup';
import { sharedTsup } from '../../tsup.shared.ts';

// An app, not a library: no type declarations; the bin gets its shebang from src/cli.ts.
// Split into chunks so each command's libraries load only when that command runs.
export default defineConfig(sharedTsup({ cli: 'src/cli.ts' }, { dts: false, splitting: true }));
