// Where a Node process's memory goes: loaded with `node --import ./bench/probe.mjs …` (or through
// NODE_OPTIONS), it samples process.memoryUsage() every 25 ms and, at exit, writes the peaks and a
// timeline to $N2K_PROBE_OUT as JSON. RSS minus heap minus external ≈ native memory (libvips, glibc
// arenas, code). Used for the findings in results.md, never during the measured runs.
import { readFileSync, writeFileSync } from 'node:fs';

// biome-ignore lint/suspicious/noUndeclaredEnvVars: a profiling aid, never a turbo task input
const out = process.env.N2K_PROBE_OUT;
if (out) {
  const started = performance.now();
  const peak = { rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, native: 0 };
  const timeline = [];
  const sample = () => {
    const m = process.memoryUsage();
    const native = m.rss - m.heapTotal - m.external;
    for (const [k, v] of Object.entries({ ...m, native })) if (k in peak) peak[k] = Math.max(peak[k], v);
    timeline.push(
      [Math.round(performance.now() - started), m.rss, m.heapUsed, m.external, native].map((v, i) =>
        i ? Math.round(v / 2 ** 20) : v,
      ),
    );
  };
  setInterval(sample, 25).unref();
  process.on('exit', () => {
    sample();
    const mb = Object.fromEntries(Object.entries(peak).map(([k, v]) => [k, Math.round(v / 2 ** 20)]));
    const maxRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    // NODE_OPTIONS reaches child Node processes too (the CLI re-executes itself): keep the report
    // of whichever process of the tree peaked highest, and say which one and how many there were.
    let previous;
    try {
      previous = JSON.parse(readFileSync(out, 'utf8'));
    } catch {}
    const processes = (previous?.processes ?? 0) + 1;
    if (previous && previous.maxRssMb >= maxRssMb) {
      writeFileSync(out, JSON.stringify({ ...previous, processes }));
      return;
    }
    writeFileSync(
      out,
      JSON.stringify({
        peakMb: mb,
        maxRssMb,
        processes,
        pid: process.pid,
        columns: ['ms', 'rss', 'heapUsed', 'external', 'native'],
        timeline,
      }),
    );
  });
}
