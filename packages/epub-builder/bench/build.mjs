// Benchmark: issues of 200 and 1000 articles with the image mix of a news site, two images per
// article as issue #4 asks (200 articles, 400 images): a lead photo (1200×800 JPEG or WebP, some
// photos saved as PNG) and either an 800×533 PNG chart (every other article) or a second photo;
// 100 ms latency per image), built from the dist bundle in a child process whose peak RSS the OS reports. Images are
// served by a loopback server in this process so the server's memory is not counted. The child
// runs with MALLOC_ARENA_MAX=2 and MALLOC_MMAP_THRESHOLD_=131072, as the apps run the build.
// Usage: pnpm --filter @news2kindle/epub-builder bench [-- --quick | --probe | --tradeoff]
//   BENCH_OPTIONS=<json> adds build options to the --quick / --probe run; BENCH_VIPS_THREADS=n and BENCH_SHARP_CACHE=<json for sharp.cache()> set sharp's globals in the child.
//   EPUB_BUILDER_DIST=<dir> measures another build of the bundle (for before/after comparisons).
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { crc32 } from 'node:zlib';
import sharp from 'sharp';

const MALLOC = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
// As the apps run it (apps/cli's re-exec, the Heroku Dockerfile): a 1 MB young generation.
const NODE_FLAGS = ['--max-semi-space-size=1'];
const nodeFlags = process.env.BENCH_NODE_FLAGS ? process.env.BENCH_NODE_FLAGS.split(' ') : [];
const LATENCY_MS = 100;
const PHOTO_FORMATS = ['jpeg', 'jpeg', 'webp', 'jpeg', 'jpeg', 'webp', 'jpeg', 'png'];

const photo = (format, name) => `photo-${format}-${name}.${format === 'jpeg' ? 'jpg' : format}`;
/** The two images of article `n`: its lead photo, then a chart (every other article) or a second photo. */
const imagesOf = (n) => [
  photo(PHOTO_FORMATS[n % PHOTO_FORMATS.length], n),
  n % 2 === 0 ? `chart-png-${n}.png` : photo(PHOTO_FORMATS[(n + 3) % PHOTO_FORMATS.length], `${n}b`),
];

if (process.argv[2] === 'child') {
  const [base, output, images, count, extra, dist] = process.argv.slice(3);
  const { buildEpub } = await import(pathToFileURL(join(dist, 'index.js')).href);
  // A what-if knob of the bench only: libvips threads per image (sharp's default: one per core).
  if (process.env.BENCH_VIPS_THREADS) sharp.concurrency(Number(process.env.BENCH_VIPS_THREADS));
  // Another: libvips' operation cache, as JSON for sharp.cache() (`false`, or `{"memory":…}`).
  if (process.env.BENCH_SHARP_CACHE) sharp.cache(JSON.parse(process.env.BENCH_SHARP_CACHE));
  // --probe: where the memory goes, sampled every 20 ms (V8 heap, Buffers, libvips' cache and queue).
  const probe = process.env.BENCH_PROBE ? {} : undefined;
  let samples = 0;
  const sample = () => {
    // BENCH_GC (with BENCH_NODE_FLAGS=--expose-gc): a full GC every 10th sample, to tell garbage from live memory.
    if (process.env.BENCH_GC && samples % 10 === 0) globalThis.gc();
    samples++;
    const m = process.memoryUsage();
    const c = sharp.counters();
    const cache = sharp.cache();
    // RssAnon is the process's own memory; RssFile is mapped code (node, libvips) and fonts.
    const status = readFileSync('/proc/self/status', 'latin1');
    const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
    const now = {
      rss: m.rss,
      rssAnon: kb('RssAnon'),
      rssFile: kb('RssFile'),
      threads: kb('Threads') / 1024,
      heapUsed: m.heapUsed,
      heapTotal: m.heapTotal,
      external: m.external,
      arrayBuffers: m.arrayBuffers,
      vipsQueue: c.queue,
      vipsProcess: c.process,
      vipsCache: cache.memory.current * 1024 * 1024,
      vipsCacheItems: cache.items.current,
    };
    for (const [k, v] of Object.entries(now)) probe[k] = Math.max(probe[k] ?? 0, v);
    if (process.env.BENCH_TIMELINE && samples % Number(process.env.BENCH_TIMELINE) === 0)
      console.error(
        `${(performance.now() / 1000).toFixed(1)}s rss ${(now.rss / 1048576).toFixed(0)} anon ${(now.rssAnon / 1048576).toFixed(0)} ab ${(now.arrayBuffers / 1048576).toFixed(0)} heap ${(now.heapTotal / 1048576).toFixed(0)} vips ${now.vipsCache / 1048576}`,
      );
    if (m.rss >= (probe.atPeak?.rss ?? 0)) probe.atPeak = now;
  };
  const timer = probe ? setInterval(sample, Number(process.env.BENCH_PROBE_MS ?? 20)) : process.env.BENCH_TICK && setInterval(() => {
      if (process.env.BENCH_TICK === 'mem') process.memoryUsage();
      if (process.env.BENCH_TICK === 'sharp') sharp.cache(), sharp.counters();
      if (process.env.BENCH_TICK === 'proc') readFileSync('/proc/self/status', 'latin1');
    }, 20);
  const ARTICLES = Number(count);
  const words =
    'the council said on monday that new rules for river transport would take effect next spring after a long review'.split(
      ' ',
    );
  const para = (seed) => Array.from({ length: 90 }, (_, i) => words[(seed * 7 + i * 13) % words.length]).join(' ');
  const sections = Array.from({ length: 10 }, (_, s) => ({
    title: `Feed ${s + 1}`,
    articles: Array.from({ length: ARTICLES / 10 }, (_, a) => {
      const n = s * (ARTICLES / 10) + a;
      const imgs = imagesOf(n).map(
        (name, k) =>
          `<figure><img src="${base}/img/${name}" alt="Image ${k}"><figcaption>Image ${k}</figcaption></figure>`,
      );
      const body = Array.from(
        { length: 8 },
        (_, p) => `<p>${para(n + p)}</p>${p === 2 ? (imgs[0] ?? '') : p === 5 ? (imgs[1] ?? '') : ''}`,
      ).join('\n');
      return {
        id: `article-${n}`,
        title: `Article ${n}: rules for river transport`,
        url: `${base}/story/${n}`,
        html: body,
      };
    }),
  }));
  const started = performance.now();
  const result = await buildEpub(
    { title: 'Bench News', date: new Date('2026-11-29T06:00:00Z'), language: 'en', sections },
    { output, images: images === 'yes', imageBudgetBytes: Number.POSITIVE_INFINITY, ...JSON.parse(extra) },
  );
  const ms = performance.now() - started;
  if (timer) clearInterval(timer);
  const usage = process.resourceUsage();
  process.send({
    ms,
    cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    bytes: result.bytes,
    images: result.images,
    warnings: result.warnings.length,
    maxRssKb: usage.maxRSS,
    probe,
  });
  process.exit(0);
}

// Noisy gradients (as the testkit draws them): a hard case for JPEG, like grainy photos.
async function render(kind, format, seed) {
  const [w, h] = kind === 'chart' || format === 'png' ? [800, 533] : [1200, 800];
  const raw = Buffer.alloc(w * h * 3);
  let state = seed * 2654435761;
  for (let p = 0; p < raw.length; p += 3) {
    state = (state * 1103515245 + 12345) >>> 0;
    const noise = state >>> 27;
    const x = (p / 3) % w;
    const y = Math.floor(p / 3 / w);
    raw[p] = (x * 255) / w + noise;
    raw[p + 1] = (y * 255) / h + noise;
    raw[p + 2] = ((x + y) * 128) / (w + h) + seed * 37;
  }
  const img = sharp(raw, { raw: { width: w, height: h, channels: 3 } });
  if (format === 'jpeg') return img.jpeg({ quality: 75 }).toBuffer();
  if (format === 'webp') return img.webp({ quality: 70 }).toBuffer();
  return img.png({ palette: true, colours: kind === 'chart' ? 16 : 64 }).toBuffer();
}
const pool = {};
for (const key of ['photo-jpeg', 'photo-webp', 'photo-png', 'chart-png']) {
  const [kind, format] = key.split('-');
  pool[key] = await Promise.all(Array.from({ length: 6 }, (_, i) => render(kind, format, i + 1)));
}

// Every URL gets its own bytes (a comment or an ignored chunk naming it), so nothing is deduplicated.
function distinct(format, buf, name) {
  const note = Buffer.from(name, 'latin1');
  if (format === 'jpeg') {
    const head = Buffer.from([0xff, 0xfe, 0, 0]);
    head.writeUInt16BE(note.length + 2, 2);
    return Buffer.concat([buf.subarray(0, 2), head, note, buf.subarray(2)]);
  }
  if (format === 'png') {
    const body = Buffer.concat([Buffer.from('tEXtComment\0', 'latin1'), note]);
    const chunk = Buffer.alloc(body.length + 8);
    chunk.writeUInt32BE(body.length - 4, 0);
    body.copy(chunk, 4);
    chunk.writeUInt32BE(crc32(body), body.length + 4);
    return Buffer.concat([buf.subarray(0, 33), chunk, buf.subarray(33)]);
  }
  const padded = Buffer.concat([Buffer.from('XNAM', 'latin1'), Buffer.alloc(4), note, Buffer.alloc(note.length % 2)]);
  padded.writeUInt32LE(note.length, 4);
  const out = Buffer.concat([buf, padded]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

const served = { requests: 0, bytes: 0 };
const server = createServer((req, res) => {
  const m = /^\/img\/((photo|chart)-(jpeg|webp|png)-(\d+)b?\.\w+)$/.exec(req.url ?? '');
  if (!m) return res.writeHead(404).end();
  const [, name, kind, format, n] = m;
  const list = pool[`${kind}-${format}`];
  const body = distinct(format, list[Number(n) % list.length], name);
  served.requests++;
  served.bytes += body.length;
  setTimeout(() => {
    res.writeHead(200, { 'content-type': `image/${format}`, 'content-length': body.length }).end(body);
  }, LATENCY_MS);
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const base = `http://127.0.0.1:${server.address().port}`;
const dir = await mkdtemp(join(tmpdir(), 'n2k-bench-'));
const dist = resolve(process.env.EPUB_BUILDER_DIST ?? fileURLToPath(new URL('../dist', import.meta.url)));
const run = (images, count, extra = {}, env = MALLOC) =>
  new Promise((done, fail) => {
    const child = fork(
      fileURLToPath(import.meta.url),
      ['child', base, join(dir, `bench-${images}.epub`), images, String(count), JSON.stringify(extra), dist],
      { env: { ...process.env, ...env }, execArgv: env.MALLOC_ARENA_MAX ? [...NODE_FLAGS, ...nodeFlags] : nodeFlags },
    );
    child.on('message', done);
    child.on('error', fail);
    child.on('exit', (code) => code !== 0 && fail(new Error(`child exited ${code}`)));
  });
const show = (label, r) =>
  console.log(
    `| ${label.padEnd(44)} | ${(r.ms / 1000).toFixed(1).padStart(5)} s | ${(r.cpuMs / 1000).toFixed(1).padStart(5)} s | ` +
      `${(r.maxRssKb / 1024).toFixed(0).padStart(4)} MB | ${(r.bytes / 1024 / 1024).toFixed(1).padStart(5)} MB | ${r.images} |` +
      (r.probe ? `\n  peaks (MB): ${probeText(r.probe)}\n  at peak RSS: ${probeText(r.probe.atPeak)}` : ''),
  );
const probeText = (p) =>
  Object.entries(p)
    .filter(([k]) => k !== 'atPeak')
    .map(([k, v]) => `${k} ${/^(vipsQueue|vipsProcess|vipsCacheItems|threads)$/.test(k) ? v : (v / 1024 / 1024).toFixed(1)}`)
    .join(', ');
const mode = process.argv[2];
try {
  const before = served.bytes;
  // --quick and --probe: only the default 200-article build (--probe also samples where memory goes).
  const single = mode === '--quick' || mode === '--probe';
  const probeEnv = mode === '--probe' ? { BENCH_PROBE: '1' } : {};
  const first = single
    ? await run('yes', 200, JSON.parse(process.env.BENCH_OPTIONS ?? '{}'), { ...MALLOC, ...probeEnv })
    : await run('yes', 200, { imageConvertConcurrency: 1, lookahead: 1 });
  const sourceBytes = served.bytes - before;
  console.log(
    `dist: ${dist}\nsource images for 200 articles: ${first.images}, ${(sourceBytes / 1024 / 1024).toFixed(1)} MB`,
  );
  console.log('| run | wall | CPU | peak RSS | book | images |\n|---|---:|---:|---:|---:|---:|');
  show(single ? '200 articles, defaults' : '200 articles, one conversion at a time', first);
  const cases = single
    ? []
    : mode === '--tradeoff'
        ? [
            ['yes', 200, { imageConvertConcurrency: 2, lookahead: 4 }, 'convert 2, look-ahead 4'],
            ['yes', 200, { imageConvertConcurrency: 2, lookahead: 8 }, 'convert 2, look-ahead 8'],
            ['yes', 200, { imageConvertConcurrency: 4, lookahead: 8 }, 'convert 4, look-ahead 8'],
            ['yes', 200, { imageConvertConcurrency: 4, lookahead: 16 }, 'convert 4, look-ahead 16'],
            [
              'yes',
              200,
              { imageConvertConcurrency: 8, lookahead: 16, imageConcurrency: 16 },
              'convert 8, look-ahead 16',
            ],
            ['yes', 200, {}, 'defaults, sharp.concurrency(1)', { ...MALLOC, BENCH_VIPS_THREADS: '1' }],
            [
              'yes',
              200,
              { imageConvertConcurrency: 4, lookahead: 16 },
              'convert 4, look-ahead 16, sharp.concurrency(1)',
              { ...MALLOC, BENCH_VIPS_THREADS: '1' },
            ],
            ['yes', 200, {}, 'defaults, no malloc settings', {}],
          ]
        : [
            ['yes', 200, {}, '200 articles, defaults'],
            ['yes', 200, {}, '200 articles, defaults, no malloc settings', {}],
            ['yes', 1000, {}, '1000 articles, defaults'],
            ['no', 200, {}, '200 articles, images off'],
            ['no', 1000, {}, '1000 articles, images off'],
          ];
  for (const [images, count, extra, label, env] of cases) show(label, await run(images, count, extra, env));
} finally {
  server.close();
  await rm(dir, { recursive: true, force: true });
}
