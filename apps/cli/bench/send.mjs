// How long `news2kindle send` takes, and how much memory it peaks at, for the bundled examples
// (what `npm start` runs) from a cold process each time, with fresh state so every run builds
// and "mails" a book to the outbox. Runs the built dist: `pnpm --filter @news2kindle/cli-app build`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const root = fileURLToPath(new URL('../../../', import.meta.url));
const runs = Number(process.env.RUNS ?? 5);
const timed = existsSync('/usr/bin/time');

function once(dir) {
  const env = { ...process.env, N2K_DATA_DIR: join(dir, 'state'), N2K_OUTBOX: join(dir, 'outbox'), NO_COLOR: '1' };
  const args = timed ? ['-f', '%M', process.execPath, bin, 'send', '--json'] : [bin, 'send', '--json'];
  const started = performance.now();
  const child = spawnSync(timed ? '/usr/bin/time' : process.execPath, args, { cwd: root, env, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (child.status !== 0) throw new Error(`send exited ${child.status}: ${child.stderr}`);
  const report = JSON.parse(child.stdout);
  // GNU time prints the peak resident set size in KB as the last line of stderr.
  const kb = timed ? Number(child.stderr.trim().split('\n').at(-1)) : Number.NaN;
  return { ms, rssMb: kb / 1024, articles: report.articles, bytes: report.bytes };
}

const results = [];
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'n2k-bench-'));
  try {
    results.push(once(dir));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const sorted = (key) => results.map((r) => r[key]).sort((a, b) => a - b);
const median = (key) => sorted(key)[Math.floor(results.length / 2)];
console.log(
  `send (bundled examples, cold process, ${runs} runs): median ${median('ms').toFixed(0)} ms, ` +
    `peak RSS median ${median('rssMb').toFixed(0)} MB (max ${sorted('rssMb').at(-1).toFixed(0)} MB), ` +
    `${results[0].articles} articles, ${(results[0].bytes / 1000).toFixed(1)} KB book`,
);
