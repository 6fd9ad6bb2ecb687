#!/usr/bin/env node
// The root benchmark (`pnpm bench`): news2kindle against the original pandoc + calibre pipeline on
// the same generated news site. See bench/README.md for the columns and flags.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { measure } from './measure.mjs';
import { writeReport } from './report.mjs';
import { describeSite, feedCount, singleHtml } from './site.mjs';
import { bundleTestkit } from './testkit-bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = join(root, 'bench');
// Every run gets its own folder: two runs at once (someone profiling with --serve while the full
// run goes) must never delete each other's books or inputs.
const outRoot = join(benchDir, 'out');
const runId = `${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${process.pid}`;
const outDir = join(outRoot, `run-${runId}`);
const cliBin = join(root, 'apps/cli/dist/cli.js');
const epubDist = join(root, 'packages/epub-builder/dist/index.js');

const { values: flags } = parseArgs({
  options: {
    sizes: { type: 'string', default: '20,200,1000' },
    runs: { type: 'string', default: '3' },
    // pandoc and calibre are slow on the largest size: fewer runs there (said in the results).
    'heavy-runs': { type: 'string', default: '1' },
    'heavy-from': { type: 'string', default: '1000' },
    only: { type: 'string' },
    device: { type: 'string' },
    latency: { type: 'string', default: '100' },
    'no-report': { type: 'boolean', default: false },
    'no-probe': { type: 'boolean', default: false },
    // Prepare the inputs and keep the site up for manual profiling; measure nothing.
    serve: { type: 'boolean', default: false },
    'variant-runs': { type: 'string', default: '1' },
  },
});
const sizes = flags.sizes.split(',').map(Number);
const runs = Number(flags.runs);
const heavyRuns = Number(flags['heavy-runs']);
const heavyFrom = Number(flags['heavy-from']);
const latencyMs = Number(flags.latency);
const only = flags.only ? new Set(flags.only.split(',')) : undefined;
const log = (line) => process.stderr.write(`[bench] ${line}\n`);

function works(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).trim();
  } catch {
    return undefined;
  }
}

// What can be measured on this machine, and why not otherwise (reported, never silently dropped).
const tools = {
  cli:
    existsSync(cliBin) && works(process.execPath, [cliBin, 'build', '--help'])?.includes('--feeds')
      ? { ok: true, version: works(process.execPath, [cliBin, '--version']) }
      : { ok: false, why: '`news2kindle build` is not available (apps/cli/dist/cli.js build --help lacks --feeds)' },
  epub:
    existsSync(epubDist) &&
    works(process.execPath, [
      '-e',
      `import(${JSON.stringify(epubDist)}).then(m=>{if(typeof m.buildEpub!=='function')process.exit(1)})`,
    ]) !== undefined
      ? { ok: true }
      : { ok: false, why: 'packages/epub-builder/dist does not export buildEpub yet' },
  pandoc: works('pandoc', ['--version'])
    ? { ok: true, version: works('pandoc', ['--version']).split('\n')[0] }
    : { ok: false, why: 'pandoc is not installed' },
  calibre: works('ebook-convert', ['--version'])
    ? { ok: true, version: works('ebook-convert', ['--version']).split('\n')[0] }
    : { ok: false, why: 'calibre (ebook-convert) is not installed' },
};
if (!existsSync('/usr/bin/time')) throw new Error('GNU time is required: apt-get install time');
for (const [name, t] of Object.entries(tools))
  log(`${name}: ${t.ok ? `ok ${t.version ?? ''}` : `NOT measured: ${t.why}`}`);

const MALLOC_TUNED = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
const wanted = (name) => !only || only.has(name);
const calibreEnv = process.getuid?.() === 0 ? { QTWEBENGINE_CHROMIUM_FLAGS: '--no-sandbox' } : {};

/** Image and chapter counts of a book (zip listing), to show the books hold the same content. */
function bookContents(file) {
  const list = works('unzip', ['-Z1', file]);
  if (!list) return {};
  const names = list.split('\n');
  return {
    images: names.filter((n) => /\.(jpe?g|png|gif|webp|svg)$/i.test(n) && !/cover|masthead/i.test(n)).length,
    documents: names.filter((n) => /\.x?html?$/i.test(n)).length,
  };
}

async function startServer(bundleUrl, now) {
  const child = spawn(
    process.execPath,
    [join(benchDir, 'server.mjs'), bundleUrl, sizes.join(','), String(now), String(latencyMs)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { child, info: JSON.parse(first), stop: () => child.stdin.end() };
}

/** Downloads a book's remote images next to a local copy of its HTML (calibre reads no URLs). */
async function localCopy(site, html, dir) {
  await mkdir(join(dir, 'img'), { recursive: true });
  const urls = site.sections.flatMap((s) => s.articles.flatMap((a) => a.images.map((i) => i.url)));
  let local = html;
  const queue = [...urls];
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (queue.length > 0) {
        const url = queue.shift();
        const name = new URL(url).pathname.split('/').pop();
        const res = await fetch(url);
        if (!res.ok) throw new Error(`${url}: ${res.status}`);
        await writeFile(join(dir, 'img', name), Buffer.from(await res.arrayBuffer()));
      }
    }),
  );
  for (const url of urls) local = local.replaceAll(`"${url}"`, `"img/${new URL(url).pathname.split('/').pop()}"`);
  const file = join(dir, 'book-local.html');
  await writeFile(file, local);
  return file;
}

const probeArgs = (out) => (out ? { NODE_OPTIONS: `--import=${join(benchDir, 'probe.mjs')}`, N2K_PROBE_OUT: out } : {});

const lastJson = (text) => {
  try {
    return JSON.parse(text.slice(text.indexOf('{')));
  } catch {
    return undefined;
  }
};

/** `news2kindle build` in a fresh working folder and HOME: no state or cache carried between runs. */
async function runCli(dir, runDir, size, probeOut, extraEnv = {}, name = 'news2kindle') {
  const home = join(runDir, `${name}-home`);
  await mkdir(home, { recursive: true });
  const book = join(runDir, `${name}.epub`);
  const args = [cliBin, 'build', '--feeds', join(dir, 'feeds.txt'), '--out', book, '--since', '24h', '--json'];
  args.push('--max-per-feed', String(Math.ceil(size / feedCount(size))), '--full-text', 'auto');
  if (flags.device) args.push('--device', flags.device);
  const r = await measure(process.execPath, args, {
    cwd: home,
    env: {
      HOME: home,
      XDG_CACHE_HOME: join(home, '.cache'),
      XDG_STATE_HOME: join(home, '.state'),
      ...probeArgs(probeOut),
      ...extraEnv,
    },
  });
  return { r, book, report: lastJson(r.stdout) };
}

/** The built epub-builder alone on the already-fetched articles. */
async function runEpub(dir, runDir, probeOut) {
  const book = join(runDir, 'epub-builder.epub');
  const args = [join(benchDir, 'epub-alone.mjs'), join(dir, 'issue.json'), book];
  if (flags.device) args.push(flags.device);
  const r = await measure(process.execPath, args, { cwd: runDir, env: probeArgs(probeOut) });
  return { r, book, report: lastJson(r.stdout) };
}

/** Peaks of a probe timeline, split at the pipeline's stage boundaries when they are known. */
function summariseProbe(probe, timings) {
  const [ms, rss, heap, external, native] = [0, 1, 2, 3, 4];
  const peakOf = (rows) => {
    const top = rows.reduce((a, b) => (b[rss] > a[rss] ? b : a), rows[0] ?? [0, 0, 0, 0, 0]);
    return { rssMb: top[rss], heapMb: top[heap], externalMb: top[external], nativeMb: top[native], atMs: top[ms] };
  };
  const rows = probe.timeline;
  const out = { maxRssMb: probe.maxRssMb, peak: peakOf(rows) };
  if (timings?.fetchMs) {
    // The probe starts before the CLI's clock does (module loading): a few ms of slack, no more.
    const startup = rows.length ? rows.at(-1)[ms] - (timings.totalMs ?? rows.at(-1)[ms]) : 0;
    const cut = startup + timings.fetchMs;
    out.fetch = { ms: timings.fetchMs, ...peakOf(rows.filter((r) => r[ms] <= cut)) };
    out.build = { ms: timings.buildMs, ...peakOf(rows.filter((r) => r[ms] > cut)) };
  }
  return out;
}

const median = (xs) => {
  const v = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

const started = Date.now();
const commit = works('git', ['-C', root, 'rev-parse', '--short', 'HEAD']);
await mkdir(outDir, { recursive: true });
const bundleUrl = await bundleTestkit(join(outDir, 'testkit.mjs'));
const tk = await import(bundleUrl);
const now = Date.now();
log('starting the site server (renders the image pool once)…');
const server = await startServer(bundleUrl, now);
log(
  `site at ${server.info.url}: ${server.info.pages} pages, ${server.info.images} images, ${(server.info.imageBytes / 1e6).toFixed(1)} MB`,
);
const load = [loadavg()[0]];
const results = [];
try {
  for (const size of sizes) {
    const dir = join(outDir, `n${size}`);
    await rm(dir, { recursive: true, force: true });
    await mkdir(dir, { recursive: true });
    const site = describeSite(tk, { size, base: server.info.url, now });
    const title = `Bench Daily (${size} articles)`;
    await writeFile(join(dir, 'feeds.txt'), site.sections.map((s) => `${site.base}${s.path}`).join('\n') + '\n');
    const issue = {
      title,
      date: new Date(now).toISOString(),
      language: 'en',
      sections: site.sections.map((s) => ({
        title: s.title,
        articles: s.articles.map((a) => ({
          id: a.id,
          title: a.title,
          url: a.url,
          author: a.author,
          published: a.published.toISOString(),
          summary: a.summary,
          html: a.html,
          feedTitle: s.title,
          language: 'en',
        })),
      })),
    };
    await writeFile(join(dir, 'issue.json'), JSON.stringify(issue));
    const html = singleHtml(tk, site, title);
    await writeFile(join(dir, 'book.html'), html);
    const localHtml = tools.calibre.ok && wanted('calibre-epub') ? await localCopy(site, html, dir) : undefined;
    const imageCount = site.sections.reduce((n, s) => n + s.articles.reduce((m, a) => m + a.images.length, 0), 0);

    if (flags.serve) {
      log(`n=${size}: inputs in ${relative(root, dir)} (feeds.txt, issue.json, book.html)`);
      continue;
    }
    const entry = { size, feeds: feedCount(size), images: imageCount, tools: {} };
    results.push(entry);
    const record = (name, run, r, book, extra = {}) => {
      entry.tools[name] ??= { runs: [] };
      const slot = entry.tools[name];
      const contents =
        book && r.ok && existsSync(book) ? { bookBytes: statSync(book).size, ...bookContents(book) } : {};
      slot.runs.push({
        run,
        ok: r.ok,
        error: r.error,
        wallMs: r.wallMs,
        cpuMs: r.cpuMs,
        attempts: r.attempts,
        maxRssKb: r.maxRssKb,
        treePeakKb: r.treePeakKb,
        ...contents,
        ...extra,
      });
      if (!r.ok) slot.stderr = r.stderr.slice(-2000);
      const mb = (kb) => (kb ? `${(kb / 1024).toFixed(0)} MB` : '?');
      log(
        `n=${size} ${name} run ${run}: ${r.ok ? 'ok' : `FAILED (${r.error})`} ${(r.wallMs / 1000).toFixed(2)} s, peak ${mb(r.maxRssKb)} (tree ${mb(r.treePeakKb)})${contents.bookBytes ? `, book ${(contents.bookBytes / 1e6).toFixed(2)} MB, ${contents.images} images` : ''}`,
      );
      if (!r.ok) log(r.stderr.slice(-600));
    };
    // Rounds interleave the tools so drift in machine load hits them all alike.
    for (let run = 1; run <= runs; run++) {
      const heavy = size >= heavyFrom && run > heavyRuns;
      const runDir = join(dir, `run-${run}`);
      await mkdir(runDir, { recursive: true });
      let ourBook;
      if (tools.cli.ok && wanted('cli')) {
        const { r, book, report } = await runCli(dir, runDir, size);
        record('cli', run, r, book, report && { articles: report.articles, stages: report.timings });
        if (r.ok) ourBook = book;
      }
      if (tools.epub.ok && wanted('epub')) {
        const { r, book, report } = await runEpub(dir, runDir);
        record('epub', run, r, book, report && { articles: report.articles });
        if (r.ok) ourBook ??= book;
      }
      if (tools.pandoc.ok && wanted('pandoc') && !heavy) {
        const book = join(runDir, 'pandoc.epub');
        const r = await measure(
          'pandoc',
          ['-f', 'html', '-t', 'epub3', '-s', '--metadata', `title=${title}`, '-o', book, join(dir, 'book.html')],
          { cwd: runDir },
        );
        record('pandoc', run, r, book);
      }
      if (tools.calibre.ok && wanted('calibre-epub') && !heavy) {
        const book = join(runDir, 'calibre.epub');
        const r = await measure('ebook-convert', [localHtml, book, '--title', title], { cwd: runDir, env: calibreEnv });
        record('calibre-epub', run, r, book);
      }
      if (tools.calibre.ok && wanted('calibre-azw3') && ourBook && !heavy) {
        const book = join(runDir, 'news2kindle.azw3');
        const r = await measure('ebook-convert', [ourBook, book], { cwd: runDir, env: calibreEnv });
        record('calibre-azw3', run, r, book);
      }
      load.push(loadavg()[0]);
    }
    // The same build with glibc's malloc tuned (two arenas, as the epub-builder README asks the apps
    // to set, and a fixed mmap threshold so freed image buffers go back to the OS): what the apps
    // would gain. Fewer runs: it is a what-if, not a target measure.
    // And with the child's Node flag preset too: exactly what the re-executed child runs, in one
    // process (what a Heroku config or Dockerfile ENV would give).
    const variants = [
      ['cli-malloc', MALLOC_TUNED, 'malloc'],
      ['cli-preset', { ...MALLOC_TUNED, NODE_OPTIONS: '--max-semi-space-size=1' }, 'preset'],
    ];
    for (const [name, env, label] of variants) {
      if (!tools.cli.ok || !wanted(name)) continue;
      for (let run = 1; run <= Number(flags['variant-runs']); run++) {
        const runDir = join(dir, `run-${run}`);
        await mkdir(runDir, { recursive: true });
        const { r, book, report } = await runCli(dir, runDir, size, undefined, env, label);
        record(name, run, r, book, report && { articles: report.articles, stages: report.timings });
      }
    }
    // One more run of each of our builds with the memory probe loaded, to say where memory goes.
    // Not part of the medians: the probe itself costs a little.
    if (!flags['no-probe']) {
      const probeDir = join(dir, 'probe');
      await mkdir(probeDir, { recursive: true });
      if (tools.cli.ok && wanted('cli')) {
        const out = join(probeDir, 'cli.json');
        const { r, report } = await runCli(dir, probeDir, size, out);
        if (r.ok && existsSync(out))
          entry.tools.cli.probe = summariseProbe(JSON.parse(await readFile(out, 'utf8')), report?.timings);
      }
      if (tools.epub.ok && wanted('epub')) {
        const out = join(probeDir, 'epub.json');
        const { r } = await runEpub(dir, probeDir, out);
        if (r.ok && existsSync(out)) entry.tools.epub.probe = summariseProbe(JSON.parse(await readFile(out, 'utf8')));
      }
    }
    for (const slot of Object.values(entry.tools)) {
      const good = slot.runs.filter((r) => r.ok);
      slot.median = {
        n: good.length,
        wallMs: median(good.map((r) => r.wallMs)),
        cpuMs: median(good.map((r) => r.cpuMs)),
        maxRssKb: median(good.map((r) => r.maxRssKb)),
        treePeakKb: median(good.map((r) => r.treePeakKb)),
        bookBytes: median(good.map((r) => r.bookBytes)),
        images: median(good.map((r) => r.images)),
        articles: median(good.map((r) => r.articles)),
        fetchMs: median(good.map((r) => r.stages?.fetchMs)),
        buildMs: median(good.map((r) => r.stages?.buildMs)),
      };
    }
  }
  if (flags.serve) {
    log('serving the site until Ctrl-C (no measurements with --serve)');
    await new Promise((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
} finally {
  server.stop();
}

const run = {
  date: new Date(started).toISOString(),
  durationS: Math.round((Date.now() - started) / 1000),
  commit,
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}`,
  loadavg: load,
  flags: {
    sizes,
    runs,
    heavyRuns,
    heavyFrom,
    latencyMs,
    device: flags.device ?? '(default)',
  },
  site: server.info,
  tools: Object.fromEntries(
    Object.entries(tools).map(([k, t]) => [k, t.ok ? (t.version ?? 'ok') : `not measured: ${t.why}`]),
  ),
  results,
};
if (flags.serve) process.exit(0);
await writeFile(join(outDir, 'results.json'), JSON.stringify(run, null, 2));
// The latest complete run, where `node bench/report.mjs` looks by default.
await writeFile(join(outRoot, 'results.json'), JSON.stringify(run, null, 2));
if (!flags['no-report']) {
  await writeReport(run, benchDir);
  log(`wrote bench/results.md and bench/chart.svg (${run.durationS} s)`);
}
