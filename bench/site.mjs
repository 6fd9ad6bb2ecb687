// The deterministic news site the benchmark fetches: a pure description (no I/O), shared by the
// server process (which serves it) and the runner (which derives the "already fetched" articles
// and the single HTML file the original pandoc/calibre pipeline is given).

/** Feeds per site size: 50 items a feed (calibre's habit is 100 at most), at least 4 feeds. */
export function feedCount(size) {
  return Math.max(4, Math.ceil(size / 50));
}

// One lead photo per article; every fourth article also carries a chart (PNG). Photos cycle
// through JPEG (5 in 8), WebP (2 in 8) and PNG (1 in 8), as on news sites that serve mixed formats.
const PHOTO_FORMATS = ['jpeg', 'jpeg', 'webp', 'jpeg', 'jpeg', 'webp', 'jpeg', 'png'];
const EXT = { jpeg: 'jpg', png: 'png', webp: 'webp' };

/** The image pool the server renders once: kind → list of { format, width, height, seed }. */
export const IMAGE_POOL = {
  photo: {
    jpeg: Array.from({ length: 24 }, (_, i) => ({ width: 1200, height: 800, seed: 101 + i })),
    webp: Array.from({ length: 12 }, (_, i) => ({ width: 1200, height: 800, seed: 201 + i })),
    png: Array.from({ length: 6 }, (_, i) => ({ width: 800, height: 533, seed: 301 + i })),
  },
  chart: {
    png: Array.from({ length: 6 }, (_, i) => ({ width: 800, height: 533, seed: 401 + i })),
  },
};

/** The images of article `i`: which pool entry each uses and the path it is served at. */
export function articleImages(size, i) {
  const format = PHOTO_FORMATS[i % PHOTO_FORMATS.length];
  const photos = IMAGE_POOL.photo[format];
  const images = [
    {
      path: `/n${size}/img/${i}-0.${EXT[format]}`,
      kind: 'photo',
      format,
      pool: Math.floor(i / PHOTO_FORMATS.length) % photos.length,
      paragraph: 0,
    },
  ];
  if (i % 4 === 3) {
    images.push({
      path: `/n${size}/img/${i}-1.png`,
      kind: 'chart',
      format: 'png',
      pool: i % IMAGE_POOL.chart.png.length,
      paragraph: 4,
    });
  }
  return images;
}

const cap = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The whole site for `size` articles. `tk` is the testkit module (paragraphs, rss, articlePage,
 * esc); `base` the server URL; `now` the publication clock (items must fall inside `--since 24h`).
 */
export function describeSite(tk, { size, base, now }) {
  const feeds = feedCount(size);
  const sections = Array.from({ length: feeds }, (_, f) => ({
    title: `Bench Daily ${f + 1}`,
    path: `/n${size}/feed-${f + 1}.xml`,
    articles: [],
  }));
  for (let i = 0; i < size; i++) {
    const f = i % feeds;
    const title = `${cap(tk.paragraphs(1, 7, 7000 + i)[0].slice(0, -1))} (story ${i + 1})`;
    // About 700 words: the length of an ordinary news story.
    const paras = tk.paragraphs(8, 90, 1 + i);
    const images = articleImages(size, i).map((img) => ({ ...img, url: base + img.path }));
    const figures = [];
    for (const img of images) figures[img.paragraph] = img.url;
    const body = [];
    paras.forEach((text, p) => {
      body.push(`<p>${tk.esc(text)}</p>`);
      if (figures[p]) {
        body.push(
          `<figure><img src="${tk.esc(figures[p])}" alt="Figure ${p + 1}"><figcaption>Figure ${p + 1}</figcaption></figure>`,
        );
      }
    });
    sections[f].articles.push({
      id: `bench-n${size}-a${i + 1}`,
      title,
      path: `/n${size}/a/${i + 1}.html`,
      url: `${base}/n${size}/a/${i + 1}.html`,
      author: 'Test Reporter',
      // Minutes apart, newest first, all well inside the last 24 hours.
      published: new Date(now - (i + 1) * 60_000),
      summary: `${paras[0].split(' ').slice(0, 30).join(' ')}…`,
      paragraphs: paras,
      figures,
      images,
      // What a full-text extractor keeps of the page: the story's paragraphs and figures.
      html: body.join('\n'),
    });
  }
  return { size, base, sections };
}

/** The RSS document of a section: summary-only items linking to the article pages. */
export function sectionRss(tk, site, section) {
  return tk.rss({
    title: section.title,
    link: `${site.base}/n${site.size}/`,
    language: 'en',
    items: section.articles.map((a) => ({
      title: a.title,
      link: a.url,
      guid: a.id,
      published: a.published,
      author: a.author,
      html: a.summary,
    })),
  });
}

/** The article page as the site serves it: navigation, scripts and asides around the story. */
export function articleHtml(tk, article) {
  return tk.articlePage({ title: article.title, paragraphs: article.paragraphs, images: article.figures, lang: 'en' });
}

/** The original pipeline's input: every article in one HTML file, remote images by URL. */
export function singleHtml(tk, site, title) {
  const out = [
    '<!DOCTYPE html>',
    `<html lang="en"><head><meta charset="utf-8"><title>${tk.esc(title)}</title></head><body>`,
  ];
  for (const section of site.sections) {
    out.push(`<h1>${tk.esc(section.title)}</h1>`);
    for (const a of section.articles) {
      out.push(`<h2>${tk.esc(a.title)}</h2>`, `<p><em>${tk.esc(a.author)}</em></p>`, a.html);
    }
  }
  out.push('</body></html>', '');
  return out.join('\n');
}
