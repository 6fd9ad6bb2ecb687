import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { corpusDir, requireTool } from '@news2kindle/testkit';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { createCalibreConverter } from './calibre.js';
import { type SampleChapter, writeSampleEpub } from './testing.js';

const corpus = corpusDir();
const hasCalibre = requireTool('calibre', 'ebook-convert');

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Readability's extracted HTML as plain paragraphs: enough to check that text survives conversion. */
function paragraphsOf(html: string): string[] {
  const text = html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<\/(p|div|h[1-6]|li|pre|blockquote|tr|td|figcaption|section|article)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    });
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

/** A stretch of the longest paragraph, away from its edges, to look for in the converted text. */
function probeOf(paragraphs: string[]): string {
  const longest = paragraphs.reduce((a, b) => (b.length > a.length ? b : a), '');
  const chars = [...longest];
  const start = Math.floor(chars.length / 3);
  return chars
    .slice(start, start + 24)
    .join('')
    .trim();
}

describe.skipIf(!corpus || !hasCalibre)('calibre on the real-world corpus', () => {
  let dir = '';
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps the text of every Readability page (English, Chinese, French, entities) through AZW3', async () => {
    dir = await mkdtemp(join(tmpdir(), 'n2k-calibre-corpus-'));
    const pagesDir = join(corpus!, 'pages');
    const index = (await readFile(join(corpus!, 'pages-index.tsv'), 'utf8')).trim().split('\n').slice(1);
    const language = new Map(index.map((line) => [line.split('\t')[0]!, line.split('\t')[1]!]));
    const chapters: SampleChapter[] = [];
    for (const name of (await readdir(pagesDir)).sort()) {
      const paragraphs = paragraphsOf(await readFile(join(pagesDir, name, 'expected.html'), 'utf8'));
      if (paragraphs.length === 0) continue;
      const lang = language.get(name);
      chapters.push({
        title: `Corpus ${name}`,
        paragraphs,
        ...(lang && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(lang) ? { language: lang } : {}),
      });
    }
    expect(chapters.length).toBeGreaterThan(100);
    const epub = join(dir, 'corpus.epub');
    await writeSampleEpub(epub, { title: 'Corpus', chapters, images: 0 });
    const result = await createCalibreConverter().convert(epub, {
      format: 'azw3',
      output: join(dir, 'corpus.azw3'),
      timeoutMs: 120_000,
    });
    // Read the AZW3 back as text with calibre itself.
    await execa('ebook-convert', [result.path, join(dir, 'corpus.txt')], { timeout: 120_000 });
    const text = (await readFile(join(dir, 'corpus.txt'), 'utf8')).replace(/\s+/g, ' ');
    const lost = chapters.filter(
      (chapter) => !text.includes(chapter.title) || !text.includes(probeOf(chapter.paragraphs)),
    );
    expect(lost.map((chapter) => `${chapter.title}: ${probeOf(chapter.paragraphs)}`)).toEqual([]);
  }, 280_000);
});
