// Turns a bench run (bench/out/results.json) into bench/results.md and bench/chart.svg.
// Usage alone: node bench/report.mjs [results.json] — rewrites both from a saved run.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart } from './chart.mjs';

export const LABELS = {
  cli: '`news2kindle build` (fetch + full text + images + EPUB)',
  'cli-malloc':
    'what-if: `news2kindle build` with `MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072` already set (as Heroku config would; no re-execution)',
  'cli-preset':
    'what-if: the same plus `NODE_OPTIONS=--max-semi-space-size=1` preset (exactly the re-executed child, alone)',
  epub: 'epub-builder alone (articles already fetched)',
  pandoc: 'pandoc HTML → EPUB (original pipeline)',
  'calibre-epub': 'calibre `ebook-convert` HTML → EPUB',
  'calibre-azw3': 'calibre `ebook-convert` our EPUB → AZW3',
};
export const TARGETS = { rss: { 200: 128, 1000: 192 }, speedup: 10, bookRatio: 0.5 };

const mb = (kb) => (kb === undefined ? '–' : (kb / 1024).toFixed(0));
const sec = (ms) => (ms === undefined ? '–' : ms >= 10_000 ? (ms / 1000).toFixed(1) : (ms / 1000).toFixed(2));
const megabytes = (b) => (b === undefined ? '–' : (b / 1e6).toFixed(b < 1e6 ? 3 : 1));
const times = (x) => (x === undefined ? '–' : x >= 10 ? `${x.toFixed(0)}×` : `${x.toFixed(2)}×`);

function median(xs) {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Median over rounds of a/b where both ran in the same round (rounds interleave the tools). */
export function pairedRatio(entry, a, b, field) {
  const ra = entry.tools[a]?.runs ?? [];
  const rb = entry.tools[b]?.runs ?? [];
  const ratios = [];
  for (const x of ra) {
    const y = rb.find((r) => r.run === x.run);
    if (x.ok && y?.ok && x[field] && y[field]) ratios.push(x[field] / y[field]);
  }
  return { value: median(ratios), pairs: ratios.length };
}

function verdict(ok) {
  return ok === undefined ? 'not measured' : ok ? '**met**' : '**missed**';
}

export function renderMarkdown(run, findings) {
  const out = [];
  out.push('# Benchmark results', '');
  out.push(
    `Run ${run.date} on top of commit \`${run.commit}\`; this file is committed together with the bench code that produced it. ${run.durationS} s in all.`,
    `Machine: ${run.machine}; load average ${run.loadavg.map((l) => l.toFixed(1)).join(' → ')} (other work shared the machine; times are noisy, memory is not).`,
    `Site: ${run.flags.latencyMs} ms latency on every request, summary-only RSS items, article pages with 1–2 images each (JPEG/WebP photos 1200×800, PNG charts 800×533, ${(run.site.imageBytes / run.site.images / 1024).toFixed(0)} KB on average).`,
    `Runs: ${run.flags.runs} per size, median reported${run.flags.heavyRuns < run.flags.runs ? `; pandoc and calibre ran ${run.flags.heavyRuns}× at ${run.flags.heavyFrom}+ articles (minutes per run)` : ''}. Device: ${run.flags.device}.`,
    '',
    'Tools: ' +
      Object.entries(run.tools)
        .map(([k, v]) => `${k} — ${v}`)
        .join('; ') +
      '.',
    '',
  );
  out.push('## Targets', '');
  out.push('| target | measured | verdict |', '|---|---|---|');
  for (const [size, limit] of Object.entries(TARGETS.rss)) {
    const e = run.results.find((r) => r.size === Number(size));
    // The process tree: the CLI re-executes itself with malloc settings, and both processes are
    // resident on the dyno at once.
    const kb = e?.tools.cli?.median?.treePeakKb;
    const single = e?.tools.cli?.median?.maxRssKb;
    const miss =
      kb === undefined
        ? ''
        : kb / 1024 > limit
          ? ` (over by ${(kb / 1024 - limit).toFixed(0)} MB, ${((kb / 1024 / limit - 1) * 100).toFixed(0)}%)`
          : ` (${(limit - kb / 1024).toFixed(0)} MB to spare)`;
    out.push(
      `| ${size} articles: \`news2kindle build\` peak RSS ≤ ${limit} MB | ${kb === undefined ? '–' : `${mb(kb)} MB`}${miss}${single !== undefined && single < kb - 2048 ? `; largest process ${mb(single)} MB` : ''} | ${verdict(kb === undefined ? undefined : kb / 1024 <= limit)} |`,
    );
  }
  for (const e of run.results) {
    const s = pairedRatio(e, 'pandoc', 'epub', 'wallMs').value;
    out.push(
      `| ${e.size} articles: EPUB build alone ≥ ${TARGETS.speedup}× faster than pandoc | ${times(s)} | ${verdict(s === undefined ? undefined : s >= TARGETS.speedup)} |`,
    );
  }
  for (const e of run.results) {
    const r = pairedRatio(e, 'epub', 'pandoc', 'bookBytes').value;
    out.push(
      `| ${e.size} articles: book ≤ ${TARGETS.bookRatio * 100}% of pandoc's | ${r === undefined ? '–' : `${(r * 100).toFixed(0)}%`} | ${verdict(r === undefined ? undefined : r <= TARGETS.bookRatio)} |`,
    );
  }
  out.push('');
  if (findings) out.push(findings.trim(), '');
  out.push('## Measurements (medians)', '');
  out.push(
    '| articles | feeds / images | what | runs | wall time (s) | CPU (s) | peak RSS (MB) | tree peak (MB) | book (MB) | articles / images in book |',
    '|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  );
  for (const e of run.results) {
    for (const [name, slot] of Object.entries(e.tools)) {
      const m = slot.median;
      const failed = slot.runs.filter((r) => !r.ok);
      const runsCell = `${m.n}${failed.length ? ` (+${failed.length} failed: ${failed[0].error})` : ''}`;
      out.push(
        `| ${e.size} | ${e.feeds} / ${e.images} | ${LABELS[name] ?? name} | ${runsCell} | ${sec(m.wallMs)} | ${sec(m.cpuMs)} | ${mb(m.maxRssKb)} | ${mb(m.treePeakKb)} | ${megabytes(m.bookBytes)} | ${m.articles ?? '–'} / ${m.images ?? '–'} |`,
      );
    }
  }
  out.push('');
  out.push('## Ratios, pair by pair (median over rounds in which both ran)', '');
  out.push('| articles | pair | wall time | CPU time | peak RSS | book size |', '|---:|---|---:|---:|---:|---:|');
  const pairs = [
    ['pandoc', 'epub', 'pandoc ÷ epub-builder alone'],
    ['pandoc', 'cli', 'pandoc ÷ `news2kindle build`'],
    ['calibre-epub', 'epub', 'calibre HTML→EPUB ÷ epub-builder alone'],
    ['cli', 'epub', '`news2kindle build` ÷ epub-builder alone'],
    ['cli', 'cli-malloc', '`news2kindle build` ÷ the same with the malloc settings preset'],
    ['cli', 'cli-preset', '`news2kindle build` ÷ the same with malloc settings and Node flag preset'],
  ];
  for (const e of run.results) {
    for (const [a, b, label] of pairs) {
      if (!e.tools[a] || !e.tools[b]) continue;
      const t = pairedRatio(e, a, b, 'wallMs');
      if (t.pairs === 0) continue;
      const c = pairedRatio(e, a, b, 'cpuMs').value;
      const r = pairedRatio(e, a, b, 'treePeakKb').value;
      const s = pairedRatio(e, a, b, 'bookBytes').value;
      out.push(
        `| ${e.size} | ${label} (${t.pairs} pair${t.pairs > 1 ? 's' : ''}) | ${times(t.value)} | ${times(c)} | ${times(r)} | ${times(s)} |`,
      );
    }
  }
  out.push('');
  const probed = run.results.flatMap((e) =>
    ['cli', 'epub'].filter((t) => e.tools[t]?.probe).map((t) => [e.size, t, e.tools[t].probe, e.tools[t].median]),
  );
  if (probed.length) {
    out.push(
      '## Where the memory goes (one extra run with `bench/probe.mjs`, not in the medians)',
      '',
      'At the moment of peak RSS: the JS heap, `external` (Buffers, ArrayBuffers) and the rest ("native": libvips, malloc arenas, code, stacks). For `news2kindle build`, the peak within each stage (fetch = feeds + full-text pages; build = images + EPUB), split at the stage times the CLI reports with `--json`.',
      '',
      '| articles | what | stage (time) | peak RSS (MB) | heap | external | native |',
      '|---:|---|---|---:|---:|---:|---:|',
    );
    for (const [size, tool, p, m] of probed) {
      const row = (stage, x) =>
        `| ${size} | ${tool === 'cli' ? '`news2kindle build`' : 'epub-builder alone'} | ${stage} | ${x.rssMb} | ${x.heapMb} | ${x.externalMb} | ${x.nativeMb} |`;
      if (p.fetch) {
        out.push(row(`fetch (${sec(p.fetch.ms)} s)`, p.fetch), row(`build (${sec(p.build.ms)} s)`, p.build));
      } else out.push(row(`whole run (${sec(m.wallMs)} s)`, p.peak));
    }
    out.push('');
  }
  const missing = Object.entries(run.tools).filter(([, v]) => v.startsWith('not measured'));
  if (missing.length) {
    out.push('## Not measured', '');
    for (const [k, v] of missing) out.push(`- ${k}: ${v.replace('not measured: ', '')}`);
    out.push('');
  }
  out.push(
    '## Columns',
    '',
    '- **wall time**: from spawn to exit of the measured process, seen by the runner. **CPU**: user + system seconds from GNU time (less sensitive than wall time to other work on the machine; includes all threads).',
    '- **peak RSS**: "Maximum resident set size" from GNU `/usr/bin/time -v` (the kernel\'s `ru_maxrss`): the largest single process of the command.',
    "- **tree peak**: the largest sum of PSS (shared pages split between the processes that map them, so counted once) over the command's whole process tree, sampled from `/proc/<pid>/smaps_rollup` every 50 ms, and never less than peak RSS. `news2kindle build` re-executes itself with malloc settings, so its small parent and its child are resident together: the targets, ratios and chart use this column.",
    '- **book**: size of the output file; **articles / images in book**: articles as our builders report them (– for the others), image files inside the EPUB except cover and masthead (AZW3 not unpacked).',
    '- The site server runs in its own process; its memory never counts.',
    '',
    '![peak RSS and time against article count](chart.svg)',
    '',
  );
  return out.join('\n');
}

export async function writeReport(run, benchDir) {
  const findingsFile = join(benchDir, 'findings.md');
  const findings = existsSync(findingsFile) ? await readFile(findingsFile, 'utf8') : undefined;
  await writeFile(join(benchDir, 'results.md'), renderMarkdown(run, findings));
  await writeFile(join(benchDir, 'chart.svg'), renderChart(run));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const benchDir = fileURLToPath(new URL('.', import.meta.url));
  const file = process.argv[2] ?? join(benchDir, 'out/results.json');
  await writeReport(JSON.parse(await readFile(file, 'utf8')), benchDir);
}
