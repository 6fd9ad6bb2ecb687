// The benchmark's news site, in its own process so its memory (the image pool) never counts
// against what is measured. Usage: node bench/server.mjs <testkit bundle URL> <sizes> <now ms> <latency ms>
// Prints one JSON line { url } when ready; stops when stdin closes.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { crc32 } from 'node:zlib';
import { IMAGE_POOL, articleHtml, describeSite, sectionRss } from './site.mjs';

const [bundleUrl, sizesArg, nowArg, latencyArg] = process.argv.slice(2);
const tk = await import(bundleUrl);
const sharp = createRequire(fileURLToPath(new URL('../packages/testkit/package.json', import.meta.url)))('sharp');
const TYPES = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

// Rendered once per run and kept in memory: photos as cameras and CMSs produce them (JPEG q75,
// WebP q70, about 150–300 KB at 1200×800); charts as flat-colour PNGs (palette, about 100–200 KB).
async function render(kind, format, { width, height, seed }) {
  const raw = await tk.image('png', width, height, seed);
  const img = sharp(raw);
  if (format === 'jpeg') return img.jpeg({ quality: 75 }).toBuffer();
  if (format === 'webp') return img.webp({ quality: 70 }).toBuffer();
  return img.png({ palette: true, colours: kind === 'chart' ? 16 : 64 }).toBuffer();
}
const pool = {};
const jobs = [];
for (const [kind, formats] of Object.entries(IMAGE_POOL)) {
  pool[kind] = {};
  for (const [format, specs] of Object.entries(formats)) {
    pool[kind][format] = [];
    specs.forEach((spec, i) => {
      jobs.push(
        render(kind, format, spec).then((buf) => {
          pool[kind][format][i] = buf;
        }),
      );
    });
  }
}
await Promise.all(jobs);

// Each URL gets distinct bytes (same pixels, a comment naming the path), so a builder that
// de-duplicates identical files gains nothing it would not gain on a real site.
function stamp(format, buf, path) {
  const note = Buffer.from(`bench ${path}`, 'latin1');
  if (format === 'jpeg') {
    const len = Buffer.alloc(2);
    len.writeUInt16BE(note.length + 2);
    return Buffer.concat([buf.subarray(0, 2), Buffer.from([0xff, 0xfe]), len, note, buf.subarray(2)]);
  }
  if (format === 'png') {
    const data = Buffer.concat([Buffer.from('tEXt', 'latin1'), Buffer.from('Comment\0', 'latin1'), note]);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length - 4);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(data));
    const ihdrEnd = 8 + 4 + 4 + 13 + 4;
    return Buffer.concat([buf.subarray(0, ihdrEnd), head, data, crc, buf.subarray(ihdrEnd)]);
  }
  // WebP: an unknown RIFF chunk after the image data, which decoders skip; RIFF size updated.
  const body = note.length % 2 ? Buffer.concat([note, Buffer.from([0])]) : note;
  const chunk = Buffer.alloc(8);
  chunk.write('BNCH', 0, 'latin1');
  chunk.writeUInt32LE(note.length, 4);
  const out = Buffer.concat([buf, chunk, body]);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

const server = await tk.startTestServer({ latencyMs: Number(latencyArg ?? 100) });
const now = Number(nowArg);
const counts = { pages: 0, images: 0, imageBytes: 0 };
for (const size of sizesArg.split(',').map(Number)) {
  const site = describeSite(tk, { size, base: server.url, now });
  for (const section of site.sections) {
    server.route(section.path, {
      headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
      body: sectionRss(tk, site, section),
    });
    for (const article of section.articles) {
      server.route(article.path, () => ({
        headers: { 'content-type': 'text/html; charset=utf-8' },
        body: articleHtml(tk, article),
      }));
      counts.pages++;
      for (const img of article.images) {
        const source = pool[img.kind][img.format][img.pool];
        counts.images++;
        counts.imageBytes += source.length;
        // Stamped per request: the pool stays the only copy held in memory.
        server.route(img.path, () => ({
          headers: { 'content-type': TYPES[img.format] },
          body: stamp(img.format, source, img.path),
        }));
      }
    }
  }
}
// Requests are recorded by the testkit; the bench never reads them, so keep the list short.
setInterval(() => server.requests.splice(0), 5_000).unref();

process.stdout.write(`${JSON.stringify({ url: server.url, ...counts })}\n`);
process.stdin.resume();
process.stdin.on('end', () => server.close().then(() => process.exit(0)));
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
