import { isRtl } from './language.js';
import { XML_DECLARATION, escAttr, escText } from './xml.js';

/** One page in reading order (the spine), as the navigation files need it. */
export interface PageRef {
  href: string;
  title: string;
}

export interface SectionRef extends PageRef {
  articles: PageRef[];
}

export interface BookMeta {
  identifier: string;
  title: string;
  language: string;
  date: string;
  modified: string;
  creator: string;
  publisher: string;
}

export const STYLE = `body { margin: 0 2%; font-family: serif; line-height: 1.4; }
h1 { font-size: 1.5em; margin: 0.3em 0; }
h1.masthead { text-align: center; }
.n2k-nav { font-size: 0.8em; text-align: center; margin: 0.5em 0; }
.meta, .source, .date { font-size: 0.85em; color: #444; }
.summary { font-size: 0.9em; margin-top: 0; }
img { max-width: 100%; height: auto; }
figure { margin: 1em 0; }
figcaption, .caption { font-size: 0.85em; font-style: italic; }
pre { white-space: pre-wrap; }
table { border-collapse: collapse; }
td, th { border: 1px solid #999; padding: 0.2em; }
.cover { text-align: center; margin: 0; padding: 0; }
.cover img { max-height: 100%; }
`;

/** An XHTML content document: XML declaration, UTF-8, the book language. */
export function page(title: string, language: string, body: string, extraHead = ''): string {
  return `${XML_DECLARATION}
<!DOCTYPE html>
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="${language}" lang="${language}"${isRtl(language) ? ' dir="rtl"' : ''}>
<head>
<meta charset="UTF-8"/>
<title>${escText(title)}</title>
<link rel="stylesheet" type="text/css" href="style.css"/>${extraHead}
</head>
<body>
${body}
</body>
</html>
`;
}

/** The row of links on every article: previous, section, index, next. */
export function navLinks(links: { prev?: string; section?: string; next?: string }): string {
  const parts: string[] = [];
  if (links.prev) parts.push(`<a href="${links.prev}">« Previous</a>`);
  if (links.section) parts.push(`<a href="${links.section}">Section</a>`);
  parts.push('<a href="index.xhtml">Index</a>');
  if (links.next) parts.push(`<a href="${links.next}">Next »</a>`);
  return `<div class="n2k-nav">${parts.join(' | ')}</div>`;
}

export function containerXml(): string {
  return `${XML_DECLARATION}
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
`;
}

export interface ManifestItem {
  id: string;
  href: string;
  mediaType: string;
  properties?: string;
}

export function opf(
  meta: BookMeta,
  manifest: ManifestItem[],
  spine: string[],
  guide: { type: string; title: string; href: string }[],
): string {
  const items = manifest
    .map(
      (m) =>
        `<item id="${m.id}" href="${escAttr(m.href)}" media-type="${m.mediaType}"${m.properties ? ` properties="${m.properties}"` : ''}/>`,
    )
    .join('\n');
  return `${XML_DECLARATION}
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" xml:lang="${meta.language}">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="bookid">${escText(meta.identifier)}</dc:identifier>
<dc:title>${escText(meta.title)}</dc:title>
<dc:language>${meta.language}</dc:language>
<dc:date>${meta.date}</dc:date>
<dc:creator>${escText(meta.creator)}</dc:creator>
<dc:publisher>${escText(meta.publisher)}</dc:publisher>
<meta property="dcterms:modified">${meta.modified}</meta>
<meta name="cover" content="cover-image"/>
</metadata>
<manifest>
${items}
</manifest>
<spine toc="ncx">
${spine.map((id) => `<itemref idref="${id}"/>`).join('\n')}
</spine>
<guide>
${guide.map((g) => `<reference type="${g.type}" title="${escAttr(g.title)}" href="${g.href}"/>`).join('\n')}
</guide>
</package>
`;
}

/** EPUB 2 table of contents, in spine order (Amazon rejects a different order). */
export function ncx(meta: BookMeta, index: PageRef, sections: SectionRef[]): string {
  let order = 0;
  const point = (ref: PageRef, inner = '') => {
    order++;
    return `<navPoint id="np${order}" playOrder="${order}"><navLabel><text>${escText(ref.title)}</text></navLabel><content src="${ref.href}"/>${inner}</navPoint>`;
  };
  const body = [point(index), ...sections.map((s) => point(s, s.articles.map((a) => point(a)).join('\n')))].join('\n');
  return `${XML_DECLARATION}
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" xml:lang="${meta.language}">
<head>
<meta name="dtb:uid" content="${escAttr(meta.identifier)}"/>
<meta name="dtb:depth" content="2"/>
<meta name="dtb:totalPageCount" content="0"/>
<meta name="dtb:maxPageNumber" content="0"/>
</head>
<docTitle><text>${escText(meta.title)}</text></docTitle>
<navMap>
${body}
</navMap>
</ncx>
`;
}

/** EPUB 3 navigation document: two levels, sections then articles, in spine order. */
export function nav(meta: BookMeta, index: PageRef, sections: SectionRef[], cover: string): string {
  const link = (ref: PageRef) => `<a href="${ref.href}">${escText(ref.title)}</a>`;
  const list = sections
    .map((s) => {
      const inner = s.articles.length ? `\n<ol>${s.articles.map((a) => `<li>${link(a)}</li>`).join('')}</ol>` : '';
      return `<li>${link(s)}${inner}</li>`;
    })
    .join('\n');
  const body = `<nav epub:type="toc" id="toc"><h1>Contents</h1>
<ol>
<li>${link(index)}</li>
${list}
</ol>
</nav>
<nav epub:type="landmarks" id="landmarks" hidden="hidden"><h2>Landmarks</h2>
<ol>
<li><a epub:type="cover" href="${cover}">Cover</a></li>
<li><a epub:type="toc" href="${index.href}">${escText(index.title)}</a></li>
</ol>
</nav>`;
  return page(meta.title, meta.language, body);
}
