import sharp from 'sharp';
import type { DeviceProfile } from './devices.js';
import { EpubError } from './errors.js';
import { escText } from './xml.js';

// CJK families first so Chinese and Japanese titles render; without those fonts librsvg falls back
// to the next family and the cover stays readable for Latin text (the book metadata holds the title).
const CJK_FONTS = "'Noto Serif CJK SC', 'Noto Serif CJK JP', 'Noto Serif', 'DejaVu Serif', serif";
const LATIN_FONTS = "'Noto Serif', 'DejaVu Serif', serif";

/** Names the CJK fonts only when needed: loading them costs ~10 MB of memory. */
function fontsFor(text: string): string {
  return /[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(text) ? CJK_FONTS : LATIN_FONTS;
}

/** Width of a string in "ems", counting wide (CJK) characters as one and others as about half. */
function emWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(ch) ? 1 : 0.55;
  return w;
}

/** Breaks text into at most `maxLines` lines that fit `maxEm` ems, with an ellipsis when cut. */
export function wrapText(text: string, maxEm: number, maxLines: number): string[] {
  // Each token keeps the whitespace before it, so breaks fall between words (or any two CJK
  // characters) and the original spacing survives inside a line.
  const tokens =
    text.match(/\s*(?:[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff]|[^\s\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff]+)/g) ?? [];
  const lines: string[] = [];
  let line = '';
  for (const token of tokens) {
    const candidate = line ? line + token : token.trimStart();
    if (emWidth(candidate) <= maxEm || !line) line = candidate;
    else {
      lines.push(line);
      line = token.trimStart();
    }
    if (lines.length === maxLines) break;
  }
  if (line && lines.length < maxLines) lines.push(line);
  const cut = lines.join('').replace(/\s/g, '').length < text.replace(/\s/g, '').length;
  return lines.map((l, i) => ((cut && i === lines.length - 1) || emWidth(l) > maxEm ? ellipsis(l, maxEm) : l));
}

/** The longest start of `text` that fits `maxEm` with an ellipsis after it. */
function ellipsis(text: string, maxEm: number): string {
  let out = '';
  for (const ch of text) {
    if (emWidth(`${out}${ch}…`) > maxEm) break;
    out += ch;
  }
  return `${out.trimEnd()}…`;
}

function textLines(lines: string[], x: number, y: number, size: number, attrs = ''): string {
  return lines
    .map((l, i) => `<text x="${x}" y="${y + i * size * 1.25}" font-size="${size}"${attrs}>${escText(l)}</text>`)
    .join('');
}

/** The cover: title, date and the top headlines, drawn as SVG and rendered to JPEG for the device. */
export async function renderCover(opts: {
  title: string;
  date: string;
  headlines: string[];
  device: DeviceProfile;
}): Promise<Buffer> {
  const { width, height } = opts.device;
  const m = Math.round(width * 0.07);
  const titleSize = Math.round(width / 11);
  const usable = (width - 2 * m) / titleSize;
  const titleLines = wrapText(opts.title, usable, 3);
  let y = m + titleSize;
  let svg = textLines(titleLines, width / 2, y, titleSize, ' text-anchor="middle" font-weight="bold"');
  y += titleLines.length * titleSize * 1.25;
  const dateSize = Math.round(titleSize * 0.45);
  svg += `<text x="${width / 2}" y="${y}" font-size="${dateSize}" text-anchor="middle">${escText(opts.date)}</text>`;
  y += dateSize;
  svg += `<rect x="${m}" y="${y}" width="${width - 2 * m}" height="${Math.max(3, Math.round(width / 300))}" fill="#000"/>`;
  const headSize = Math.round(titleSize * 0.42);
  y += headSize * 2.2;
  for (const headline of opts.headlines) {
    const lines = wrapText(headline, (width - 2 * m - headSize) / headSize, 2);
    if (y + lines.length * headSize * 1.25 > height - m) break;
    svg += `<circle cx="${m + headSize * 0.3}" cy="${y - headSize * 0.35}" r="${headSize * 0.15}" fill="#000"/>`;
    svg += textLines(lines, m + headSize, y, headSize);
    y += lines.length * headSize * 1.25 + headSize * 0.8;
  }
  const doc = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="#fff"/><g font-family="${fontsFor(`${opts.title} ${opts.headlines.join(' ')}`)}" fill="#000">${svg}</g></svg>`;
  try {
    let image = sharp(Buffer.from(doc));
    if (!opts.device.color) image = image.grayscale().toColourspace('b-w');
    return await image.jpeg({ quality: 80 }).toBuffer();
  } catch (error) {
    throw new EpubError('COVER_FAILED', `Could not render the cover: ${(error as Error).message}`, { cause: error });
  }
}

/** The masthead (600×100, the size Kindle periodicals use): the newspaper's name. */
export async function renderMasthead(title: string): Promise<Buffer> {
  const lines = wrapText(title, 600 / 44, 1);
  const doc = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="100"><rect width="100%" height="100%" fill="#fff"/><text x="300" y="66" font-family="${fontsFor(title)}" font-size="44" font-weight="bold" text-anchor="middle">${escText(lines[0] ?? '')}</text></svg>`;
  try {
    return await sharp(Buffer.from(doc)).grayscale().png({ palette: true, colours: 16 }).toBuffer();
  } catch (error) {
    throw new EpubError('COVER_FAILED', `Could not render the masthead: ${(error as Error).message}`, { cause: error });
  }
}
