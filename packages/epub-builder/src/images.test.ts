import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { type TestServer, image, startTestServer } from '@news2kindle/testkit';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEpub } from './build.js';
import { lintKindle } from './lint.js';
import { sniffImage } from './sniff.js';
import { epubcheck, hasEpubcheck } from './test-support.js';
import type { Issue } from './types.js';
import { readZip } from './unzip.js';

const withEpubcheck = hasEpubcheck();
let server: TestServer;
let dir: string;
const built: string[] = [];

/** A PNG whose header claims 100,000 × 100,000 pixels: a decompression bomb in 60 bytes. */
async function bombPng(): Promise<Buffer> {
  const png = Buffer.from(
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .png()
      .toBuffer(),
  );
  png.writeUInt32BE(100_000, 16);
  png.writeUInt32BE(100_000, 20);
  png.writeUInt32BE(crc32(png.subarray(12, 29)), 29);
  return png;
}

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150"><rect width="300" height="150" fill="#c33"/><circle cx="150" cy="75" r="50" fill="#3c3"/></svg>';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n2k-images-'));
  const jpeg = await image('jpeg', 3000, 2000, 1);
  const same = await image('png', 200, 100, 9);
  server = await startTestServer({
    routes: {
      '/big.jpg': { body: jpeg, headers: { 'content-type': 'image/jpeg' } },
      '/p.png': { body: await image('png', 400, 300, 2), headers: { 'content-type': 'image/png' } },
      '/w.webp': { body: await image('webp', 400, 300, 3), headers: { 'content-type': 'image/webp' } },
      '/g.gif': { body: await image('gif', 400, 300, 4), headers: { 'content-type': 'image/gif' } },
      '/a.avif': { body: await image('avif', 400, 300, 5), headers: { 'content-type': 'image/avif' } },
      '/t.tiff': { body: await image('tiff', 400, 300, 6), headers: { 'content-type': 'image/tiff' } },
      '/s.svg': { body: SVG, headers: { 'content-type': 'image/svg+xml' } },
      '/lying.png': { body: await image('webp', 300, 200, 7), headers: { 'content-type': 'text/html' } },
      '/broken.jpg': {
        body: Buffer.from('this is not an image at all, just text'),
        headers: { 'content-type': 'image/jpeg' },
      },
      '/truncated.jpg': { body: jpeg.subarray(0, 200), headers: { 'content-type': 'image/jpeg' } },
      '/huge.jpg': { hugeBytes: 3 * 1024 * 1024, omitLength: true, headers: { 'content-type': 'image/jpeg' } },
      '/slow.jpg': { body: jpeg, latencyMs: 8000, headers: { 'content-type': 'image/jpeg' } },
      '/bomb.png': { body: await bombPng(), headers: { 'content-type': 'image/png' } },
      '/missing.jpg': { status: 404, body: 'nope' },
      '/pixel.gif': { body: await image('gif', 1, 1, 8) },
      '/same-a.png': { body: same },
      '/same-b.png': { body: same },
    },
  });
});
afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const ALL = [
  ['big.jpg', 'Big'],
  ['p.png', 'PNG'],
  ['w.webp', 'WebP'],
  ['g.gif', 'GIF'],
  ['a.avif', 'AVIF'],
  ['t.tiff', 'TIFF'],
  ['s.svg', 'SVG'],
  ['lying.png', 'Lying'],
  ['broken.jpg', 'Broken'],
  ['truncated.jpg', 'Truncated'],
  ['huge.jpg', 'Huge'],
  ['slow.jpg', 'Slow'],
  ['bomb.png', 'Bomb'],
  ['missing.jpg', 'Missing'],
  ['pixel.gif', 'Pixel'],
  ['same-a.png', 'Same A'],
  ['same-b.png', 'Same B'],
  ['big.jpg', 'Big again'],
];

function issue(): Issue {
  const html = ALL.map(
    ([file, alt]) => `<figure><img src="/${file}" alt="${alt}"><figcaption>${alt}</figcaption></figure>`,
  ).join('\n');
  return {
    title: 'Images',
    date: new Date('2026-11-29T00:00:00Z'),
    language: 'en',
    sections: [
      { title: 'Pictures', articles: [{ id: 'pics', title: 'Every format', url: `${server.url}/story`, html }] },
    ],
  };
}

/** An issue of one section 'S' holding these articles. */
function oneSection(title: string, articles: Issue['sections'][number]['articles']): Issue {
  return { title, date: new Date('2026-11-29T00:00:00Z'), sections: [{ title: 'S', articles }] };
}

/** The book's text files by name. */
async function bookTexts(path: string): Promise<Map<string, string>> {
  return new Map((await readZip(path)).map((e) => [e.name, e.data.toString('utf8')]));
}

/**
 * `count` stories with one image each, served by `site` after `latencyMs(i)`. The images differ
 * only by a byte after the JPEG's end, which decoders ignore: they convert to the same size.
 */
async function storiesWithImages(site: TestServer, prefix: string, count: number, latencyMs: (i: number) => number) {
  const body = await image('jpeg', 200, 150, 4);
  for (let i = 0; i < count; i++) {
    site.route(`/${prefix}${i}.jpg`, { body: Buffer.concat([body, Buffer.from([i])]), latencyMs: latencyMs(i) });
  }
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${i}`,
    title: `Story ${i}`,
    url: `${site.url}/story/${i}`,
    html: `<p>Story ${i}</p><img src="/${prefix}${i}.jpg" alt="${prefix}${i}">`,
  }));
}

async function bookImages(path: string) {
  const entries = await readZip(path, (name) => name.startsWith('OEBPS/images/'));
  return entries.filter((e) => e.name.startsWith('OEBPS/images/') && !/cover|masthead/.test(e.name));
}

describe('images', () => {
  it('converts every format to JPEG/PNG, scales and grays for e-ink, and turns failures into alt text', async () => {
    const output = join(dir, 'paperwhite.epub');
    const result = await buildEpub(issue(), {
      output,
      device: 'paperwhite',
      imageMaxBytes: 2_500_000,
      imageTimeoutMs: 2500,
    });
    built.push(output);
    const images = await bookImages(output);
    expect(result.warnings.filter((w) => !/broken|truncated|huge|slow|bomb|missing|pixel/.test(w))).toEqual([]);
    // jpeg, png, webp, gif, avif, tiff, svg, lying webp, and one file for the two identical PNGs.
    expect(images).toHaveLength(9);
    for (const e of images) expect(['jpeg', 'png']).toContain(sniffImage(e.data));
    const big = images.find((e) => e.name.endsWith('.jpg') && e.size > 50_000) ?? images[0]!;
    const meta = await sharp(big.data).metadata();
    expect(meta.width).toBeLessThanOrEqual(1236);
    expect(meta.height).toBeLessThanOrEqual(1648);
    for (const e of images) expect((await sharp(e.data).stats()).isOpaque !== undefined).toBe(true);
    for (const e of images.filter((i) => i.name.endsWith('.jpg')))
      expect((await sharp(e.data).metadata()).channels).toBe(1);
    expect(server.hits('/big.jpg')).toBe(1);
    const text = result.warnings.join('\n');
    for (const needle of [
      'broken.jpg',
      'truncated.jpg',
      'huge.jpg',
      'timed out',
      'too many pixels',
      'HTTP 404',
      'pixel.gif',
    ]) {
      expect(text).toContain(needle);
    }
    const page = (await readZip(output)).find((e) => e.name === 'OEBPS/s001-a001.xhtml')!.data.toString('utf8');
    expect(page).toContain('[Broken]');
    expect(page).toContain('[Bomb]');
    expect(page).not.toMatch(/<img(?![^>]*src="images\/)/);
    expect(await lintKindle(output)).toEqual([]);
    // Converted images pass through files next to the book: none is left behind.
    expect(existsSync(`${output}.images`)).toBe(false);
  });

  it('keeps colour for Colorsoft', async () => {
    const output = join(dir, 'colorsoft.epub');
    await buildEpub(issue(), { output, device: 'colorsoft', imageTimeoutMs: 2500, imageMaxBytes: 2_500_000 });
    built.push(output);
    const jpegs = (await bookImages(output)).filter((e) => e.name.endsWith('.jpg'));
    expect(jpegs.length).toBeGreaterThan(0);
    for (const e of jpegs) expect((await sharp(e.data).metadata()).channels).toBe(3);
  });

  it('leaves images out when asked, and stops at the byte budget', async () => {
    const none = await buildEpub(issue(), { output: join(dir, 'none.epub'), images: false });
    expect(none.images).toBe(0);
    expect(await bookImages(none.path)).toHaveLength(0);
    built.push(none.path);
    const budget = await buildEpub(issue(), {
      output: join(dir, 'budget.epub'),
      imageBudgetBytes: 30_000,
      imageTimeoutMs: 2500,
      imageMaxBytes: 2_500_000,
    });
    const total = (await bookImages(budget.path)).reduce((sum, e) => sum + e.size, 0);
    expect(total).toBeLessThanOrEqual(30_000);
    expect(budget.warnings.join('\n')).toContain('budget');
    built.push(budget.path);
  });

  it('fetches with bounded concurrency through the injected fetch', async () => {
    const slow = await startTestServer();
    try {
      const body = await image('jpeg', 64, 64, 3);
      const urls: string[] = [];
      for (let i = 0; i < 10; i++) {
        slow.route(`/i${i}.jpg`, { body: Buffer.concat([body, Buffer.from([i])]), latencyMs: 60 });
        urls.push(`http://images.invalid/i${i}.jpg`);
      }
      let calls = 0;
      const redirect: typeof fetch = (input, init) => {
        calls++;
        return fetch(slow.at(new URL(String(input)).pathname), init);
      };
      const result = await buildEpub(
        oneSection('Many', [
          { id: 'x', title: 'Many images', html: urls.map((u) => `<img src="${u}" alt="i">`).join('') },
        ]),
        { output: join(dir, 'many.epub'), fetch: redirect, imageConcurrency: 2 },
      );
      expect(calls).toBe(10);
      expect(result.images).toBe(10);
      expect(slow.maxInFlight()).toBeLessThanOrEqual(2);
      built.push(result.path);
    } finally {
      await slow.close();
    }
  });

  it('aborts while images are in flight, with a typed error and no unhandled rejection', async () => {
    const many: Issue = {
      title: 'Abort',
      date: new Date('2026-11-29T00:00:00Z'),
      sections: [
        {
          title: 'S',
          url: 'https://feeds.example/world',
          articles: Array.from({ length: 6 }, (_, i) => ({
            id: `s${i}`,
            title: `Slow ${i}`,
            url: `${server.url}/a${i}`,
            html: `<img src="/slow.jpg?${i}" alt="slow">`,
          })),
        },
      ],
    };
    const output = join(dir, 'aborted.epub');
    await expect(
      buildEpub(many, { output, signal: AbortSignal.timeout(300), imageTimeoutMs: 20_000 }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect(existsSync(output) || existsSync(`${output}.partial`) || existsSync(`${output}.images`)).toBe(false);
  });

  it('reports each stored image through onProgress and links the section to its site', async () => {
    const events: { type: string; url?: string }[] = [];
    const one = issue();
    one.sections[0]!.url = 'https://feeds.example/pictures';
    const result = await buildEpub(one, {
      output: join(dir, 'progress.epub'),
      imageTimeoutMs: 2500,
      imageMaxBytes: 2_500_000,
      onProgress: (e) => events.push(e),
    });
    expect(events.filter((e) => e.type === 'image')).toHaveLength(9);
    const section = (await readZip(result.path)).find((e) => e.name === 'OEBPS/s001.xhtml')!.data.toString('utf8');
    expect(section).toContain('<a href="https://feeds.example/pictures">');
    built.push(result.path);
  });

  it('never lets an SVG read local files', async () => {
    const evil = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="100"><rect width="200" height="100" fill="#fff"/><image width="200" height="100" xlink:href="file://${join(dir, 'secret.png')}"/></svg>`;
    await sharp({ create: { width: 200, height: 100, channels: 3, background: '#000' } })
      .png()
      .toFile(join(dir, 'secret.png'));
    server.route('/evil.svg', { body: evil });
    const result = await buildEpub(
      oneSection('SVG', [{ id: 'svg', title: 'SVG', url: `${server.url}/x`, html: '<img src="/evil.svg" alt="e">' }]),
      { output: join(dir, 'svg.epub') },
    );
    const [png] = await bookImages(result.path);
    expect((await sharp(png!.data).stats()).channels[0]!.min).toBe(255);
  });

  it('fetches images of later articles while an earlier one waits, and still writes pages and images in reading order', async () => {
    const site = await startTestServer();
    try {
      // Article 1's image is slow; the seven after it are quick and must not wait for it.
      const stories = await storiesWithImages(site, 'o', 8, (i) => (i === 0 ? 400 : 60));
      const events: number[] = [];
      const result = await buildEpub(oneSection('Order', stories), {
        output: join(dir, 'order.epub'),
        onProgress: (e) => e.type === 'article' && events.push(e.index),
      });
      // Each article has one image, so requests in flight together belong to different articles:
      // the default look-ahead of 8 articles puts all eight on the wire at once.
      expect(site.maxInFlight()).toBeGreaterThanOrEqual(6);
      expect(result.images).toBe(8);
      expect(events).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      const entries = (await readZip(result.path)).map((e) => e.name);
      const pages = entries.filter((n) => /^OEBPS\/s001-a\d+\.xhtml$/.test(n));
      expect(pages).toEqual(Array.from({ length: 8 }, (_, i) => `OEBPS/s001-a00${i + 1}.xhtml`));
      // The quick images waited (converted, on disk) for the slow first one: the book holds them
      // in reading order, whatever order they arrived in.
      const files = await bookTexts(result.path);
      const imageOf = (page: number) => /src="(images\/[^"]+)"/.exec(files.get(`OEBPS/s001-a00${page}.xhtml`)!)![1]!;
      const positions = Array.from({ length: 8 }, (_, i) => entries.indexOf(`OEBPS/${imageOf(i + 1)}`));
      expect(positions).toEqual([...positions].sort((a, b) => a - b));
      expect(new Set(Array.from({ length: 8 }, (_, i) => imageOf(i + 1))).size).toBe(8);
      built.push(result.path);
    } finally {
      await site.close();
    }
  });

  it('keeps the same images under a byte budget however fast each arrives: the first ones in reading order', async () => {
    const site = await startTestServer();
    try {
      // Six images of one size, the first slowest: arrival order is the reverse of reading order.
      const articles = await storiesWithImages(site, 'b', 6, (i) => 300 - i * 50);
      const all = await buildEpub(oneSection('Budget', articles), { output: join(dir, 'budget-all.epub') });
      const sizes = (await bookImages(all.path)).map((e) => e.size);
      expect(sizes).toHaveLength(6);
      expect(new Set(sizes).size).toBe(1);
      const keptIn = async (output: string) => {
        const result = await buildEpub(oneSection('Budget', articles), {
          output: join(dir, output),
          imageBudgetBytes: Math.floor(sizes[0]! * 3.5),
        });
        built.push(result.path);
        const files = await bookTexts(result.path);
        return Array.from({ length: 6 }, (_, i) => files.get(`OEBPS/s001-a00${i + 1}.xhtml`)!.includes('<img'));
      };
      expect(await keptIn('budget-1.epub')).toEqual([true, true, true, false, false, false]);
      expect(await keptIn('budget-2.epub')).toEqual([true, true, true, false, false, false]);
    } finally {
      await site.close();
    }
  });

  it('stores the same bytes once when a later URL serving them arrives first', async () => {
    const site = await startTestServer();
    try {
      const body = await image('jpeg', 120, 90, 6);
      site.route('/slow.jpg', { body, latencyMs: 300 });
      site.route('/fast.jpg', { body, latencyMs: 10 });
      const result = await buildEpub(
        oneSection('Same', [
          { id: 's1', title: 'One', url: `${site.url}/a`, html: '<p>One</p><img src="/slow.jpg" alt="one">' },
          { id: 's2', title: 'Two', url: `${site.url}/b`, html: '<p>Two</p><img src="/fast.jpg" alt="two">' },
        ]),
        { output: join(dir, 'same-bytes.epub') },
      );
      expect(result.images).toBe(2);
      expect(await bookImages(result.path)).toHaveLength(1);
      const files = await bookTexts(result.path);
      const src = (page: string) => /src="(images\/[^"]+)"/.exec(files.get(`OEBPS/${page}`)!)![1];
      expect(src('s001-a002.xhtml')).toBe(src('s001-a001.xhtml'));
    } finally {
      await site.close();
    }
  });

  it('stores a photograph saved as PNG as JPEG, and keeps a flat drawing PNG', async () => {
    const photo = await sharp(await image('png', 600, 400, 11))
      .png()
      .toBuffer();
    const drawing = await sharp(Buffer.from(SVG)).flatten({ background: '#fff' }).png().toBuffer();
    server.route('/photo.png', { body: photo });
    server.route('/drawing.png', { body: drawing });
    const result = await buildEpub(
      oneSection('PNG', [
        {
          id: 'png',
          title: 'PNG',
          url: `${server.url}/x`,
          html: '<img src="/photo.png" alt="photo"><img src="/drawing.png" alt="drawing">',
        },
      ]),
      { output: join(dir, 'png.epub') },
    );
    const page = (await readZip(result.path)).find((e) => e.name === 'OEBPS/s001-a001.xhtml')!.data.toString('utf8');
    expect(page).toMatch(/<img src="images\/[0-9a-f]+\.jpg" alt="photo"\/>/);
    expect(page).toMatch(/<img src="images\/[0-9a-f]+\.png" alt="drawing"\/>/);
    built.push(result.path);
  });

  it('lintKindle finds nothing in any of these books', async () => {
    expect(built).toHaveLength(10);
    for (const path of built) expect(await lintKindle(path), path).toEqual([]);
  });

  it.skipIf(!withEpubcheck)(
    'the books pass epubcheck',
    async () => {
      // One JVM per book is slow: check the two books that hold every image kind (the others are subsets).
      for (const report of await epubcheck(built.slice(0, 2), 2)) {
        expect(report.messages, report.file).toEqual([]);
        expect(report.errors + report.warnings).toBe(0);
      }
    },
    120_000,
  );
});
