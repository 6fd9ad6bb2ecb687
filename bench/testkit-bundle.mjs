// The testkit ships TypeScript sources only and Node 20 cannot run them, so the bench bundles it
// once per run with esbuild (tsup's own copy). Its npm dependencies (sharp, smtp-server, …) stay
// external and are pointed at the copies installed for the testkit, so nothing is duplicated.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const testkitDir = join(root, 'packages/testkit');

/** Bundles @news2kindle/testkit to `outFile` (ESM) and returns its file URL. */
export async function bundleTestkit(outFile) {
  const fromTsup = createRequire(createRequire(join(root, 'package.json')).resolve('tsup'));
  const esbuild = await import(pathToFileURL(fromTsup.resolve('esbuild')).href);
  const fromTestkit = createRequire(join(testkitDir, 'package.json'));
  await esbuild.build({
    entryPoints: [join(testkitDir, 'src/index.ts')],
    outfile: outFile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    plugins: [
      {
        name: 'testkit-deps',
        setup(build) {
          build.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('node:')) return { external: true };
            // A bare package name: resolve it where the testkit's own node_modules has it.
            return { path: pathToFileURL(fromTestkit.resolve(args.path)).href, external: true };
          });
        },
      },
    ],
  });
  return pathToFileURL(outFile).href;
}

export { dirname };
