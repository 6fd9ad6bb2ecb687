// Benchmark: a 200-article issue with 400 distinct images (and smaller/larger runs to show that
// memory does not grow with the number of articles), built from the dist bundle in a child
// process whose peak RSS the OS reports. Images are served by a loopback server in this process so
// the server's memory is not counted. Usage: pnpm --filter @news2kindle/epub-builder bench
import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const IMAGES_PER_ARTICLE = 2;

if (process.argv[2] === 'child') {
  const { buildEpub } = await import('../dist/index.js');
  const [base, output, images, count] = process.argv.slice(3);
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
      const imgs = Array.from(
        { length: IMAGES_PER_ARTICLE },
        (_, k) =>
          `<figure><img src="${base}/img/${n * IMAGES_PER_ARTICLE + k}.jpg" alt="Photo ${k}"><figcaption>Photo ${k}</figcaption></figure>`,
      );
      const body = Array.from(
        { length: 8 },
        (_, p) => `<p>${para(n + p)}</p>${p === 2 ? imgs[0] : p === 5 ? imgs[1] : ''}`,
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
    { output, images: images === 'yes', imageBudgetBytes: 200 * 1024 * 1024 },
  );
  const ms = performance.now() - started;
  process.send({
    ms,
    bytes: result.bytes,
    articles: result.articles,
    images: result.images,
    warnings: result.warnings.length,
    maxRssKb: process.resourceUsage().maxRSS,
  });
  process.exit(0);
}

// A few base photos; each served copy gets a distinct trailing byte after the JPEG end marker, so
// all 400 are different files (no deduplication) while generation stays quick.
const bases = [];
for (let i = 0; i < 8; i++) {
  const w = 1600;
  const h = 1200;
  const raw = Buffer.alloc(w * h * 3);
  for (let p = 0; p < raw.length; p += 3) {
    const x = (p / 3) % w;
    const y = Math.floor(p / 3 / w);
    raw[p] = (x * 255) / w + ((p * 2654435761) >>> 28);
    raw[p + 1] = (y * 255) / h + i * 20;
    raw[p + 2] = ((x + y) * 128) / (w + h);
  }
  bases.push(
    await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
      .jpeg({ quality: 85 })
      .toBuffer(),
  );
}
const server = createServer((req, res) => {
  const m = /^\/img\/(\d+)\.jpg$/.exec(req.url ?? '');
  if (!m) return res.writeHead(404).end();
  const n = Number(m[1]);
  const body = Buffer.concat([bases[n % bases.length], Buffer.from([n & 0xff, n >> 8])]);
  res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': body.length }).end(body);
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const dir = await mkdtemp(join(tmpdir(), 'n2k-bench-'));
const run = (images, count, env = {}) =>
  new Promise((resolve, reject) => {
    const child = fork(
      fileURLToPath(import.meta.url),
      ['child', base, join(dir, `bench-${images}.epub`), images, String(count)],
      {
        env: { ...process.env, ...env },
      },
    );
    child.on('message', resolve);
    child.on('error', reject);
    child.on('exit', (code) => code !== 0 && reject(new Error(`child exited ${code}`)));
  });
try {
  console.log(
    `source photos: ${(bases.map((b) => b.length).reduce((a, b) => a + b, 0) / bases.length) | 0} bytes on average, 1600×1200`,
  );
  const cases = [
    ['yes', 200, {}, ''],
    ['yes', 200, { MALLOC_ARENA_MAX: '2' }, ', MALLOC_ARENA_MAX=2'],
    ['yes', 100, {}, ''],
    ['no', 200, {}, ''],
    ['no', 1000, {}, ''],
  ];
  for (const [images, count, env, note] of cases) {
    const r = await run(images, count, env);
    console.log(
      `${count} articles, ${images === 'yes' ? `${count * IMAGES_PER_ARTICLE} images` : 'images off'}${note}: ${(r.ms / 1000).toFixed(1)} s, ` +
        `peak RSS ${(r.maxRssKb / 1024).toFixed(0)} MB, book ${(r.bytes / 1024 / 1024).toFixed(1)} MB, ${r.images} images in the book, ${r.warnings} warnings`,
    );
  }
} finally {
  server.close();
  await rm(dir, { recursive: true, force: true });
}
