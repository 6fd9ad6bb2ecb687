// Benchmark of the built web process as a dyno: time from spawn until the port accepts
// connections (Heroku's R10 limit is 60 s), time from SIGTERM to exit (SIGKILL comes at 30 s),
// resident memory after serving pages, and status-page latency. Run after `pnpm build`:
//   pnpm --filter @news2kindle/heroku-app bench
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accepts, freePort } from '../scripts/net.mjs';

const WEB = fileURLToPath(new URL('../dist/web.js', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const RUNS = Number(process.env.RUNS ?? 10);
const PAGES = 200;

const rssKb = async (pid) => {
  const { readFileSync } = await import('node:fs');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
};

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], max: s.at(-1) };
};

const dir = mkdtempSync(join(tmpdir(), 'n2k-bench-dyno-'));
const boot = [];
const stop = [];
const rss = [];
const page = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const port = await freePort();
    const started = performance.now();
    const child = spawn(process.execPath, [WEB], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, PORT: String(port), DYNO: 'web.1', N2K_DATA_DIR: join(dir, 'state') },
      stdio: 'ignore',
    });
    while (!(await accepts(port))) await new Promise((r) => setTimeout(r, 2));
    boot.push(performance.now() - started);
    for (let p = 0; p < (i === 0 ? PAGES : 5); p++) {
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/`);
      await res.text();
      if (res.status !== 200) throw new Error(`page answered ${res.status}`);
      if (p > 0) page.push(performance.now() - t);
    }
    rss.push((await rssKb(child.pid)) / 1024);
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const t = performance.now();
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`exit code ${code} after SIGTERM`);
    stop.push(performance.now() - t);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const b = stats(boot);
const s = stats(stop);
const m = stats(rss);
const p = stats(page);
console.log(`web dyno, ${RUNS} starts (Node ${process.versions.node})`);
console.log(
  `  spawn → accepting on $PORT: median ${b.median.toFixed(0)} ms, max ${b.max.toFixed(0)} ms (R10 limit 60000 ms)`,
);
console.log(
  `  SIGTERM → exit 0:           median ${s.median.toFixed(0)} ms, max ${s.max.toFixed(0)} ms (SIGKILL at 30000 ms)`,
);
console.log(
  `  RSS after serving pages:     median ${m.median.toFixed(0)} MB, max ${m.max.toFixed(0)} MB (Basic dyno 512 MB)`,
);
console.log(
  `  status page (file store):    median ${p.median.toFixed(1)} ms, max ${p.max.toFixed(1)} ms over ${page.length} requests`,
);
