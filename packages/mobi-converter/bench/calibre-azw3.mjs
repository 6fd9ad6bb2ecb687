// Peak memory and time of calibre converting a 200-article news book, through the built adapter.
// ebook-convert runs behind a wrapper that calls GNU time (Debian package `time`), so the figures
// are the OS's own (max resident set size of ebook-convert and its helpers), not estimates.
// Usage: pnpm --filter @news2kindle/mobi-converter bench   (after `pnpm build`)
// Vary it with BENCH_RUNS, BENCH_IMAGES and BENCH_IMAGE_SIZE (e.g. 1200x800).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCalibreConverter } from '../dist/calibre.js';
import { writeSampleEpub } from '../dist/testing.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ARTICLES = 200;
const IMAGES = Number(process.env.BENCH_IMAGES ?? 30);
const [WIDTH, HEIGHT] = (process.env.BENCH_IMAGE_SIZE ?? '800x533').split('x').map(Number);

const dir = mkdtempSync(join(tmpdir(), 'n2k-bench-calibre-'));
try {
  execFileSync('/usr/bin/time', ['--version'], { stdio: 'ignore' });
  const real = execFileSync('sh', ['-c', 'command -v ebook-convert'], { encoding: 'utf8' }).trim();
  const input = join(dir, 'news.epub');
  await writeSampleEpub(input, { articles: ARTICLES, paragraphs: 8, images: IMAGES, imageSize: [WIDTH, HEIGHT] });
  const report = join(dir, 'time.txt');
  const wrapper = join(dir, 'ebook-convert');
  writeFileSync(wrapper, `#!/bin/sh\nexec /usr/bin/time -v -o '${report}' '${real}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  const converter = createCalibreConverter({ binary: wrapper });
  const version = (await createCalibreConverter().available()).version;
  console.log(
    `calibre ${version}: ${ARTICLES} articles, ${IMAGES} images of ${WIDTH}x${HEIGHT}, EPUB ${(statSync(input).size / 1e6).toFixed(2)} MB, ${RUNS} runs per format`,
  );
  for (const format of ['azw3', 'mobi']) {
    const times = [];
    let peakKb = 0;
    let bytes = 0;
    for (let run = 0; run < RUNS; run++) {
      const result = await converter.convert(input, {
        format,
        output: join(dir, `news.${format}`),
        timeoutMs: 600_000,
      });
      const text = readFileSync(report, 'utf8');
      peakKb = Math.max(peakKb, Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] ?? 0));
      times.push(result.ms);
      bytes = result.bytes;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)];
    console.log(
      `${format}: median ${(median / 1000).toFixed(2)} s (min ${(times[0] / 1000).toFixed(2)} s), peak RSS ${(peakKb / 1024).toFixed(0)} MB, output ${(bytes / 1e6).toFixed(2)} MB`,
    );
  }
  console.log(`bench process itself: peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
