import { writeFile } from 'node:fs/promises';
import { type Zippable, strToU8, zipSync } from 'fflate';
import { samplePng } from './sample-image.js';

/** What {@link writeSampleEpub} puts in the book. */
export interface SampleEpubOptions {
  title?: string;
  author?: string;
  language?: string;
  /** Number of articles (one XHTML file each); default 3. */
  articles?: number;
  /** Paragraphs per article; default 4. */
  paragraphs?: number;
  /** Number of PNG images, spread over the articles; default 1. */
  images?: number;
  /** Image size in pixels; default 600×400. */
  imageSize?: [number, number];
  /** Your own articles (plain-text paragraphs) instead of generated ones; `articles` and `paragraphs` are then ignored. */
  chapters?: SampleChapter[];
}

/** One article of your own text for {@link writeSampleEpub}. */
export interface SampleChapter {
  title: string;
  paragraphs: string[];
  /** The article's language when it differs from the book's (BCP 47, e.g. `zh`). */
  language?: string;
}

const WORDS =
  'the council voted on tuesday to extend the harbour line while markets rose and rain kept falling over the northern hills as readers wrote in about schools bridges trains and elections'.split(
    ' ',
  );

function escapeXml(text: string): string {
  // Characters XML 1.0 forbids would make the book unreadable; real-world text sometimes has them.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function sentence(seed: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length]!);
  const text = out.join(' ');
  return `${text[0]!.toUpperCase()}${text.slice(1)}.`;
}

function xhtml(title: string, language: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${language}" lang="${language}">
<head><title>${escapeXml(title)}</title></head>
<body>${body}</body>
</html>
`;
}

/**
 * Writes a small, valid EPUB 3 (with an NCX for older readers) to `path`: deterministic text,
 * optional PNG images, the metadata converters must carry over (title, author, language).
 * For conformance tests and benchmarks, not for real books.
 */
export async function writeSampleEpub(path: string, options: SampleEpubOptions = {}): Promise<void> {
  const title = options.title ?? 'Sample News';
  const author = options.author ?? 'news2kindle';
  const language = options.language ?? 'en';
  const chapters = options.chapters;
  const articles = chapters?.length ?? options.articles ?? 3;
  const paragraphs = options.paragraphs ?? 4;
  const images = options.images ?? 1;
  const [width, height] = options.imageSize ?? [600, 400];
  const files: Zippable = {
    // The OCF rule: `mimetype` first and stored, so readers can sniff the type at a fixed offset.
    mimetype: [strToU8('application/epub+zip'), { level: 0 }],
    'META-INF/container.xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
`),
  };
  const manifest: string[] = [
    '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
    '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
  ];
  const spine: string[] = [];
  const navItems: string[] = [];
  const navPoints: string[] = [];
  for (let a = 1; a <= articles; a++) {
    const id = `a${a}`;
    const chapter = chapters?.[a - 1];
    const heading = chapter?.title ?? `Article ${a}: ${sentence(a, 5).slice(0, -1)}`;
    const parts = [`<h1>${escapeXml(heading)}</h1>`];
    // Spread the images evenly over the articles.
    for (let i = 1; i <= images; i++) {
      if (Math.ceil((i * articles) / images) !== a) continue;
      const name = `images/img${i}.png`;
      files[`OEBPS/${name}`] = [samplePng(width, height, i), { level: 0 }];
      manifest.push(`<item id="img${i}" href="${name}" media-type="image/png"/>`);
      parts.push(`<p><img src="${name}" alt="Figure ${i}"/></p>`);
    }
    const texts = chapter?.paragraphs ?? Array.from({ length: paragraphs }, (_, p) => sentence(a * 31 + p, 60));
    for (const text of texts) parts.push(`<p>${escapeXml(text)}</p>`);
    files[`OEBPS/${id}.xhtml`] = strToU8(xhtml(heading, chapter?.language ?? language, parts.join('\n')));
    manifest.push(`<item id="${id}" href="${id}.xhtml" media-type="application/xhtml+xml"/>`);
    spine.push(`<itemref idref="${id}"/>`);
    navItems.push(`<li><a href="${id}.xhtml">${escapeXml(heading)}</a></li>`);
    navPoints.push(
      `<navPoint id="np${a}" playOrder="${a}"><navLabel><text>${escapeXml(heading)}</text></navLabel><content src="${id}.xhtml"/></navPoint>`,
    );
  }
  const uid = `urn:uuid:00000000-0000-4000-8000-${String(articles).padStart(12, '0')}`;
  files['OEBPS/content.opf'] = strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="${language}">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">${uid}</dc:identifier>
<dc:title>${escapeXml(title)}</dc:title>
<dc:creator>${escapeXml(author)}</dc:creator>
<dc:language>${language}</dc:language>
<meta property="dcterms:modified">2026-01-01T00:00:00Z</meta>
</metadata>
<manifest>
${manifest.join('\n')}
</manifest>
<spine toc="ncx">
${spine.join('\n')}
</spine>
</package>
`);
  files['OEBPS/nav.xhtml'] = strToU8(
    xhtml(title, language, `<nav epub:type="toc" id="toc"><h1>Contents</h1><ol>${navItems.join('')}</ol></nav>`),
  );
  files['OEBPS/toc.ncx'] = strToU8(`<?xml version="1.0" encoding="UTF-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<head><meta name="dtb:uid" content="${uid}"/></head>
<docTitle><text>${escapeXml(title)}</text></docTitle>
<navMap>${navPoints.join('')}</navMap>
</ncx>
`);
  await writeFile(path, zipSync(files, { level: 6 }));
}
