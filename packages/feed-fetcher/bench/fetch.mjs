// Benchmark of fetchFeeds through the built dist: 50 feeds × 20 summary-only items, each item's
// page fetched and extracted, served by 5 loopback "sites" that add 100 ms latency to every
// request. Reports wall time against the ideal (requests × latency / concurrency) and the peak
// RSS of the child process doing the work, median of BENCH_RUNS (default 3) runs. Each concurrency
// runs three ways: with Node's defaults; as the news2kindle apps run Node (DEPLOYED below); and
// as they run on the cheapest dyno, i.e. the same inside a 512 MB memory cgroup, where V8 sizes
// its heap from the container's limit (a 256 MB old generation that grows by smaller steps than on
// this 24 GB machine). The cgroup needs root and a writable memory controller (v1 or v2); without
// them that row says so. Run `pnpm --filter @news2kindle/feed-fetcher build` first.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const dist = process.env.BENCH_DIST ?? fileURLToPath(new URL('../dist/index.js', import.meta.url));
const SITES = 5;
const FEEDS_PER_SITE = 10;
const ITEMS = 20;
const LATENCY_MS = 100;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const DEPLOYED = {
  env: { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' },
  args: ['--max-semi-space-size=1'],
};

if (process.argv[2] === 'child') {
  const [, , , urlsJson, concurrency] = process.argv;
  const { fetchFeeds } = await import(dist);
  const sources = JSON.parse(urlsJson).map((url) => ({ url }));
  const peak = { heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, rss: 0 };
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    for (const k of Object.keys(peak)) peak[k] = Math.max(peak[k], m[k] / 1048576);
  }, 50);
  const started = performance.now();
  const results = await fetchFeeds(sources, {
    concurrency: Number(concurrency),
    perHost: 8,
    retries: 0,
    // BENCH_IN_THREAD=1 measures extraction on the main thread, for comparison.
    ...(process.env.BENCH_IN_THREAD ? { extraction: false } : {}),
    // BENCH_UNDICI=1 reads through Node's built-in fetch instead of leanRequest, for comparison.
    ...(process.env.BENCH_UNDICI ? { fetch: globalThis.fetch } : {}),
  });
  const ms = performance.now() - started;
  const articles = results.flatMap((r) => r.articles);
  const summary = {
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    feedsOk: results.filter((r) => r.ok).length,
    articles: articles.length,
    extracted: articles.filter((a) => a.fullText === 'extracted').length,
    peakMb: Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v)])),
  };
  clearInterval(sampler);
  summary.cpuMs = Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000);
  if (globalThis.gc) {
    globalThis.gc();
    summary.retainedHeapMb = Math.round(process.memoryUsage().heapUsed / 1048576);
  }
  process.stdout.write(JSON.stringify(summary));
  process.exit(0);
}

const WORDS =
  'river council budget repairs spring transport safety review region towns critics plan costs records'.split(' ');
function prose(seed, count) {
  let state = seed;
  const out = [];
  for (let i = 0; i < count; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    out.push(WORDS[state % WORDS.length]);
  }
  return out.join(' ');
}

function page(site, feed, item) {
  const paragraphs = Array.from(
    { length: 8 },
    (_, p) => `<p>${prose(site * 1e6 + feed * 1e3 + item * 10 + p, 90)}.</p>`,
  );
  paragraphs.splice(
    3,
    0,
    `<figure><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/img/${feed}-${item}.jpg" alt=""></figure>`,
  );
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Story ${item}</title>
<script>var analytics = 1;</script></head><body><header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<main><article><h1>Story ${feed}-${item}</h1><p class="byline">By A Reporter</p>${paragraphs.join('\n')}</article></main>
<aside><h2>Most read</h2><ul><li><a href="/x">Other</a></li></ul></aside><footer>© Bench News</footer></body></html>`;
}

function feedXml(base, site, feed) {
  const items = Array.from(
    { length: ITEMS },
    (
      _,
      i,
    ) => `<item><title>Story ${feed}-${i}</title><link>${base}/p/${feed}/${i}</link><guid>${base}/p/${feed}/${i}</guid>
<pubDate>${new Date(Date.UTC(2026, 10, 28, i)).toUTCString()}</pubDate><description>${prose(site + feed + i, 25)}…</description></item>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Site ${site} feed ${feed}</title><link>${base}/</link>${items.join('')}</channel></rss>`;
}

async function startSite(site) {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    setTimeout(() => {
      const base = `http://${req.headers.host}`;
      const feed = /^\/feed\/(\d+)\.xml$/.exec(req.url);
      const article = /^\/p\/(\d+)\/(\d+)$/.exec(req.url);
      if (feed) {
        res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
        res.end(feedXml(base, site, Number(feed[1])));
      } else if (article) {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(page(site, Number(article[1]), Number(article[2])));
      } else {
        res.writeHead(404).end();
      }
    }, LATENCY_MS);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}`, requests: () => requests };
}

const DYNO_BYTES = 512 * 1024 * 1024;

/** A memory cgroup limited like the cheapest dyno, or why there is none. */
function dynoCgroup() {
  const name = `n2k-bench-${process.pid}`;
  const v2 =
    existsSync('/sys/fs/cgroup/cgroup.controllers') &&
    readFileSync('/sys/fs/cgroup/cgroup.controllers', 'utf8').includes('memory');
  const dir = v2 ? `/sys/fs/cgroup/${name}` : `/sys/fs/cgroup/memory/${name}`;
  try {
    mkdirSync(dir);
    writeFileSync(`${dir}/${v2 ? 'memory.max' : 'memory.limit_in_bytes'}`, String(DYNO_BYTES));
    // Removed however the bench ends (a failed run included); an empty cgroup is all that is left.
    process.on('exit', () => {
      try {
        rmdirSync(dir);
      } catch {}
    });
    return { procs: `${dir}/cgroup.procs` };
  } catch (error) {
    return {
      unavailable: `no 512 MB memory cgroup here (${error.code ?? error.message}: needs root and a writable memory controller)`,
    };
  }
}

function runChild(urls, concurrency, mode, cgroup) {
  const node = [
    ...(process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []),
    ...(mode === 'node defaults' ? [] : DEPLOYED.args),
    fileURLToPath(import.meta.url),
    'child',
    JSON.stringify(urls),
    String(concurrency),
  ];
  // In the dyno row a shell moves itself into the cgroup, then becomes the child.
  const [command, args] =
    mode === '512 MB dyno'
      ? ['/bin/sh', ['-c', 'echo $$ > "$0" && exec "$@"', cgroup.procs, process.execPath, ...node]]
      : [process.execPath, node];
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { maxBuffer: 1 << 20, env: { ...process.env, ...(mode === 'node defaults' ? {} : DEPLOYED.env) } },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });
}

const sites = await Promise.all(Array.from({ length: SITES }, (_, i) => startSite(i)));
const urls = sites.flatMap((s) => Array.from({ length: FEEDS_PER_SITE }, (_, f) => `${s.url}/feed/${f}.xml`));
const requestCount = urls.length * (1 + ITEMS);
console.log(
  `feed-fetcher bench: ${urls.length} feeds × ${ITEMS} summary-only items, ${SITES} sites, ${LATENCY_MS} ms latency, ${requestCount} requests`,
);
let failed = false;
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(
  `medians of ${RUNS} runs; "deployed" = ${Object.entries(DEPLOYED.env)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ')} node ${DEPLOYED.args.join(' ')}; ` +
    `"512 MB dyno" = deployed inside a ${DYNO_BYTES / 1048576} MB memory cgroup`,
);
// BENCH_MODES picks rows, e.g. BENCH_MODES='512 MB dyno'.
const modes = (process.env.BENCH_MODES ?? 'node defaults,deployed,512 MB dyno').split(',');
const cgroup = modes.includes('512 MB dyno') ? dynoCgroup() : undefined;
for (const concurrency of (process.env.BENCH_CONCURRENCY ?? '8,16,32').split(',').map(Number)) {
  for (const mode of modes) {
    if (mode === '512 MB dyno' && cgroup?.unavailable) {
      console.log(
        `concurrency ${String(concurrency).padStart(2)}, ${mode.padEnd(13)}: not measured, ${cgroup.unavailable}`,
      );
      continue;
    }
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const before = sites.reduce((n, s) => n + s.requests(), 0);
      const r = await runChild(urls, concurrency, mode, cgroup);
      r.served = sites.reduce((n, s) => n + s.requests(), 0) - before;
      runs.push(r);
    }
    const ms = median(runs.map((r) => r.ms));
    const rss = median(runs.map((r) => r.maxRssMb));
    const cpu = median(runs.map((r) => r.cpuMs));
    const ideal = (requestCount * LATENCY_MS) / concurrency;
    const ratio = ms / ideal;
    const complete = runs.every((r) => r.extracted === urls.length * ITEMS && r.feedsOk === urls.length);
    const ok = ratio <= 1.25 && rss < 100 && complete;
    failed ||= !ok;
    console.log(
      `concurrency ${String(concurrency).padStart(2)}, ${mode.padEnd(13)}: wall ${(ms / 1000).toFixed(2)} s, ideal ${(ideal / 1000).toFixed(2)} s, ` +
        `ratio ${ratio.toFixed(2)} (target ≤ 1.25), peak RSS ${rss.toFixed(0)} MB (target < 100; runs ${runs.map((r) => r.maxRssMb.toFixed(0)).join('/')}), ` +
        `child CPU ${(cpu / 1000).toFixed(2)} s, requests ${runs.map((r) => r.served).join('/')}, ` +
        `feeds ok ${Math.min(...runs.map((r) => r.feedsOk))}/${urls.length}, extracted ${Math.min(...runs.map((r) => r.extracted))}/${urls.length * ITEMS} ${ok ? 'OK' : 'MISSED'}`,
    );
  }
}
await Promise.all(sites.map((s) => new Promise((resolve) => s.server.close(resolve))));
process.exitCode = failed ? 1 : 0;
