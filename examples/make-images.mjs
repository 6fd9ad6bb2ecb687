// Draws the example feeds' pictures (simple shapes, no fonts, so every machine draws the same
// pixels), writes them as small JPEG, PNG and WebP files under examples/images/, and embeds each
// into the feeds as a data: URI wherever an <img data-file="../images/NAME" src="…"> names it.
// Embedded, because the EPUB builder takes http(s) and data: images only, never local files;
// data-file keeps the link to the picture's source. The outputs are committed; run this only to
// change them: `node examples/make-images.mjs`.
// examples/ is no package, so sharp is borrowed from testkit, which already depends on it.
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const sharp = createRequire(join(here, '../packages/testkit/package.json'))('sharp');

const harbour = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="300">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#f6b26b"/><stop offset="1" stop-color="#fde9c9"/></linearGradient></defs>
  <rect width="480" height="300" fill="url(#sky)"/>
  <circle cx="360" cy="120" r="38" fill="#f9d65c"/>
  <rect y="170" width="480" height="130" fill="#3d6f8e"/>
  <path d="M0 190 Q60 182 120 190 T240 190 T360 190 T480 190" stroke="#a9c9dc" stroke-width="3" fill="none"/>
  <path d="M0 230 Q60 222 120 230 T240 230 T360 230 T480 230" stroke="#a9c9dc" stroke-width="3" fill="none"/>
  <path d="M130 196 L250 196 L232 220 L148 220 Z" fill="#7a3b24"/>
  <path d="M188 194 L188 110 L240 190 Z" fill="#fafafa"/>
  <path d="M184 194 L184 124 L146 190 Z" fill="#e8e2d0"/>
  <rect x="20" y="140" width="70" height="30" fill="#5c5c66"/><rect x="35" y="118" width="22" height="22" fill="#8b8b96"/>
</svg>`;

const chart = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="240">
  <rect width="400" height="240" fill="#ffffff"/>
  <line x1="40" y1="20" x2="40" y2="210" stroke="#333" stroke-width="2"/>
  <line x1="40" y1="210" x2="380" y2="210" stroke="#333" stroke-width="2"/>
  <rect x="60" y="150" width="40" height="60" fill="#4a7fb0"/>
  <rect x="120" y="120" width="40" height="90" fill="#4a7fb0"/>
  <rect x="180" y="95" width="40" height="115" fill="#4a7fb0"/>
  <rect x="240" y="70" width="40" height="140" fill="#4a7fb0"/>
  <rect x="300" y="40" width="40" height="170" fill="#e07b39"/>
</svg>`;

const alps = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="300">
  <defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1">
    <stop offset="0" stop-color="#6fa8dc"/><stop offset="1" stop-color="#d9ecf7"/></linearGradient></defs>
  <rect width="480" height="300" fill="url(#sky)"/>
  <path d="M-20 260 L120 80 L250 260 Z" fill="#6b7b8c"/>
  <path d="M120 80 L92 116 L110 110 L126 122 L146 112 Z" fill="#ffffff"/>
  <path d="M160 260 L320 60 L500 260 Z" fill="#52606e"/>
  <path d="M320 60 L288 100 L310 92 L330 106 L352 98 Z" fill="#ffffff"/>
  <rect y="240" width="480" height="60" fill="#5d8a3a"/>
  <rect x="60" y="218" width="46" height="30" fill="#b5652b"/><path d="M54 220 L83 196 L112 220 Z" fill="#7a2e1c"/>
</svg>`;

const lantern = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240">
  <rect width="320" height="240" fill="#1f2a44"/>
  <line x1="0" y1="30" x2="320" y2="30" stroke="#c9b37e" stroke-width="2"/>
  <line x1="80" y1="30" x2="80" y2="70" stroke="#c9b37e" stroke-width="2"/>
  <ellipse cx="80" cy="110" rx="42" ry="46" fill="#d7322b"/><rect x="66" y="154" width="28" height="10" fill="#e6b422"/>
  <line x1="240" y1="30" x2="240" y2="70" stroke="#c9b37e" stroke-width="2"/>
  <ellipse cx="240" cy="110" rx="42" ry="46" fill="#d7322b"/><rect x="226" y="154" width="28" height="10" fill="#e6b422"/>
  <circle cx="160" cy="200" r="14" fill="#f4e4a1"/>
</svg>`;

const outputs = [
  ['harbour.jpg', harbour, (s) => s.jpeg({ quality: 70, mozjpeg: true })],
  ['ferry-chart.png', chart, (s) => s.png({ palette: true, colours: 16 })],
  ['alps.webp', alps, (s) => s.webp({ quality: 60 })],
  ['lanterns.jpg', lantern, (s) => s.jpeg({ quality: 70, mozjpeg: true })],
];

const dir = join(here, 'images');
mkdirSync(dir, { recursive: true });
for (const [name, svg, encode] of outputs) {
  const file = join(dir, name);
  await encode(sharp(Buffer.from(svg))).toFile(file);
  console.log(`${name}: ${statSync(file).size} bytes`);
}

const MIME = { jpg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };
const feeds = join(here, 'feeds');
for (const name of readdirSync(feeds)) {
  const file = join(feeds, name);
  // latin1 round-trips every byte, so the GBK feed's Chinese text is left exactly as it is.
  const text = readFileSync(file, 'latin1');
  let count = 0;
  const out = text.replace(/<img data-file=(\\?)"([^"\\]+)\1" src=\1"[^"\\]*\1"/g, (_all, q, ref) => {
    const image = join(dir, basename(ref));
    const mime = MIME[image.split('.').pop()];
    count++;
    return `<img data-file=${q}"${ref}${q}" src=${q}"data:${mime};base64,${readFileSync(image).toString('base64')}${q}"`;
  });
  if (count > 0) {
    writeFileSync(file, out, 'latin1');
    console.log(`${name}: ${count} picture(s) embedded`);
  }
}
