import sharp from 'sharp';

/** Escapes text for XML and HTML. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface GenItem {
  title: string;
  link: string;
  /** HTML content or summary. */
  html: string;
  guid?: string;
  published?: Date;
  author?: string;
}

export interface GenFeed {
  title: string;
  link: string;
  items: GenItem[];
  language?: string;
}

/** An RSS 2.0 document. `encoding` only changes the declaration: the caller encodes the bytes. */
export function rss(feed: GenFeed, encoding = 'utf-8'): string {
  const items = feed.items
    .map(
      (item) => `  <item>
    <title>${esc(item.title)}</title>
    <link>${esc(item.link)}</link>
    <guid isPermaLink="false">${esc(item.guid ?? item.link)}</guid>
    ${item.published ? `<pubDate>${item.published.toUTCString()}</pubDate>` : ''}
    ${item.author ? `<author>${esc(item.author)}</author>` : ''}
    <description>${esc(item.html)}</description>
  </item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="${encoding}"?>
<rss version="2.0">
<channel>
  <title>${esc(feed.title)}</title>
  <link>${esc(feed.link)}</link>
  <description>${esc(feed.title)}</description>
  ${feed.language ? `<language>${esc(feed.language)}</language>` : ''}
${items}
</channel>
</rss>
`;
}

/** An Atom 1.0 document. */
export function atom(feed: GenFeed): string {
  const entries = feed.items
    .map(
      (item) => `  <entry>
    <title>${esc(item.title)}</title>
    <link href="${esc(item.link)}"/>
    <id>${esc(item.guid ?? item.link)}</id>
    <updated>${(item.published ?? new Date(0)).toISOString()}</updated>
    ${item.author ? `<author><name>${esc(item.author)}</name></author>` : ''}
    <content type="html">${esc(item.html)}</content>
  </entry>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"${feed.language ? ` xml:lang="${esc(feed.language)}"` : ''}>
  <title>${esc(feed.title)}</title>
  <link href="${esc(feed.link)}"/>
  <id>${esc(feed.link)}</id>
  <updated>${new Date(0).toISOString()}</updated>
${entries}
</feed>
`;
}

/** A JSON Feed 1.1 document. */
export function jsonFeed(feed: GenFeed): string {
  return JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: feed.title,
    home_page_url: feed.link,
    language: feed.language,
    items: feed.items.map((item) => ({
      id: item.guid ?? item.link,
      url: item.link,
      title: item.title,
      content_html: item.html,
      date_published: item.published?.toISOString(),
      authors: item.author ? [{ name: item.author }] : undefined,
    })),
  });
}

/** Deterministic pseudo-random numbers, so generated sites are the same on every run. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x100000000;
  };
}

const WORDS =
  'the council said on monday that new rules for river transport would take effect next spring after a long review of safety records and costs across the region while critics argued the plan left smaller towns without a clear budget for repairs'.split(
    ' ',
  );

/** Deterministic filler prose: `count` paragraphs of about `words` words each. */
export function paragraphs(count: number, words = 80, seed = 1): string[] {
  const rand = seeded(seed);
  const out: string[] = [];
  for (let p = 0; p < count; p++) {
    const w: string[] = [];
    for (let i = 0; i < words; i++) w.push(WORDS[Math.floor(rand() * WORDS.length)]!);
    const text = w.join(' ');
    out.push(`${text.charAt(0).toUpperCase()}${text.slice(1)}.`);
  }
  return out;
}

export interface GenPage {
  title: string;
  paragraphs: string[];
  /** Image URLs placed between paragraphs. */
  images?: string[];
  /** Mark images lazy the way news sites do (`data-src` with a placeholder). */
  lazyImages?: boolean;
  lang?: string;
}

/** A news article page with navigation chrome around the article, as Readability expects to meet. */
export function articlePage(page: GenPage): string {
  const body: string[] = [];
  page.paragraphs.forEach((text, i) => {
    body.push(`<p>${esc(text)}</p>`);
    const image = page.images?.[i];
    if (image) {
      body.push(
        page.lazyImages
          ? `<figure><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="${esc(image)}" alt="Figure ${i + 1}"><figcaption>Figure ${i + 1}</figcaption></figure>`
          : `<figure><img src="${esc(image)}" alt="Figure ${i + 1}"><figcaption>Figure ${i + 1}</figcaption></figure>`,
      );
    }
  });
  return `<!DOCTYPE html>
<html lang="${esc(page.lang ?? 'en')}"><head><meta charset="utf-8"><title>${esc(page.title)}</title>
<script>window.tracker = 1;</script><style>body{font-family:serif}</style></head>
<body>
<header><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>${esc(page.title)}</h1>
<p class="byline">By Test Reporter</p>
${body.join('\n')}
</article></main>
<aside><h2>Most read</h2><ul><li><a href="/a">Another story</a></li><li><a href="/b">A third story</a></li></ul></aside>
<footer>Copyright Test News</footer>
</body></html>
`;
}

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'tiff';

/** A deterministic image with some detail (gradient plus noise), so compression has work to do. */
export async function image(format: ImageFormat, width: number, height: number, seed = 1): Promise<Buffer> {
  const rand = seeded(seed);
  const channels = 3;
  const raw = Buffer.alloc(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * channels;
      const noise = Math.floor(rand() * 40);
      raw[i] = ((x * 255) / width + noise) & 0xff;
      raw[i + 1] = ((y * 255) / height + noise) & 0xff;
      raw[i + 2] = (((x + y) * 128) / (width + height) + seed * 37) & 0xff;
    }
  }
  return sharp(raw, { raw: { width, height, channels } }).toFormat(format).toBuffer();
}
