// Memory floor of the built package: peak RSS of a fresh Node process after importing an entry,
// and which heavy dependencies the import loaded (each should load only when a run needs it).
// Run `pnpm --filter @news2kindle/pipeline build` first.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const dist = (file) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));
const heavy = [
  'nodemailer',
  'pg',
  'execa',
  'linkedom',
  '@mozilla/readability',
  'iconv-lite',
  'chardet',
  'sharp',
  'zod',
];

// Peak RSS is measured in a plain child; a second child lists what was loaded (CommonJS through
// the require cache, ESM through a resolve hook, whose loader thread would inflate the RSS).
const plain = (code) =>
  `${code}\nconsole.log(JSON.stringify({ rssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));`;
const child = (code) => `
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';
const { port1, port2 } = new MessageChannel();
const urls = new Set();
port1.on('message', (url) => urls.add(url));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(
  'let port; export function initialize(d) { port = d.port; }' +
  'export async function resolve(s, c, next) { const r = await next(s, c); port.postMessage(r.url); return r; }'
), { data: { port: port2 }, transferList: [port2] });
${code}
await new Promise((r) => setTimeout(r, 50));
const paths = [...Object.keys(createRequire(import.meta.url).cache), ...urls];
const heavy = ${JSON.stringify(heavy)}.filter((n) => paths.some((p) => p.includes('/node_modules/' + n + '/')));
console.log(JSON.stringify({ loaded: heavy }));
`;

const cases = [
  ['node alone', ''],
  ['import @news2kindle/pipeline', `await import(${JSON.stringify(dist('index.js'))});`],
  [
    'import + parseConfig',
    `const p = await import(${JSON.stringify(dist('index.js'))}); p.parseConfig({ feeds: ['https://example.org/f'] });`,
  ],
  ['import ./postgres-store', `await import(${JSON.stringify(dist('postgres-store.js'))});`],
];
const run = (code) =>
  JSON.parse(
    execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim().split('\n').at(-1),
  );
for (const [name, code] of cases) {
  const { rssMb } = run(plain(code));
  const { loaded } = run(child(code));
  console.log(`${name.padEnd(32)} ${String(rssMb).padStart(4)} MB  loaded: ${loaded.join(', ') || '—'}`);
}
