import { atom, jsonFeed, rss } from '@news2kindle/testkit';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { FeedError, parseFeed } from './index.js';

const feed = {
  title: 'Test & News',
  link: 'https://news.example/',
  language: 'en',
  items: [
    {
      title: 'First <story>',
      link: 'https://news.example/1',
      html: '<p>Hello <b>world</b> &amp; more</p>',
      published: new Date('2026-11-28T10:00:00Z'),
      author: 'Ann',
    },
    { title: 'Second', link: 'https://news.example/2', html: '<p>Two</p>', guid: 'urn:two' },
  ],
};
const now = new Date('2026-11-29T00:00:00Z');

function thrown(fn: () => unknown): FeedError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FeedError);
    return error as FeedError;
  }
  throw new Error('expected a FeedError');
}

describe('parseFeed formats', () => {
  it.each([
    ['rss2.0', rss(feed)],
    ['atom1.0', atom(feed)],
    ['json1.1', jsonFeed(feed)],
  ])('reads %s detected from the content', (format, text) => {
    const parsed = parseFeed(Buffer.from(text), { url: 'https://news.example/feed', now });
    expect(parsed.format).toBe(format);
    expect(parsed.title).toBe('Test & News');
    expect(parsed.language).toBe('en');
    expect(parsed.articles).toHaveLength(2);
    const [a, b] = parsed.articles;
    expect(a?.title).toBe('First <story>');
    expect(a?.url).toBe('https://news.example/1');
    expect(a?.html).toContain('<b>world</b> &amp; more');
    expect(a?.author).toBe('Ann');
    expect(a?.feedTitle).toBe('Test & News');
    expect(a?.feedUrl).toBe('https://news.example/feed');
    expect(b?.id).toBe('urn:two');
    if (format !== 'atom1.0') {
      expect(a?.published.toISOString()).toBe('2026-11-28T10:00:00.000Z');
      expect(a?.undated).toBe(false);
      expect(b?.undated).toBe(true);
      expect(b?.published).toEqual(now);
    }
  });

  it('reads RSS 0.91, RSS 1.0 (RDF) and Atom 0.3', () => {
    const rss091 = `<rss version="0.91"><channel><title>Old</title><link>http://o.example/</link>
      <item><title>A</title><link>http://o.example/a</link><description>x</description></item></channel></rss>`;
    const rdf = `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <channel rdf:about="http://r.example/"><title>RDF</title><link>http://r.example/</link></channel>
      <item rdf:about="http://r.example/1"><title>One</title><link>http://r.example/1</link><dc:date>2002-09-07T00:00:01+02:00</dc:date></item></rdf:RDF>`;
    const atom03 = `<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Zero three</title>
      <link rel="alternate" href="http://z.example/"/>
      <entry><title>E</title><link rel="alternate" href="http://z.example/e"/><id>tag:z,1</id><issued>2003-12-13T18:30:02Z</issued>
      <content type="text/html" mode="escaped">&lt;p&gt;hi&lt;/p&gt;</content></entry></feed>`;
    expect(parseFeed(rss091).format).toBe('rss0.91');
    const r = parseFeed(rdf);
    expect([r.format, r.title, r.articles[0]?.id, r.articles[0]?.published.toISOString()]).toEqual([
      'rss1.0',
      'RDF',
      'http://r.example/1',
      '2002-09-06T22:00:01.000Z',
    ]);
    const z = parseFeed(atom03);
    expect([z.format, z.articles[0]?.url, z.articles[0]?.html]).toEqual(['atom0.3', 'http://z.example/e', '<p>hi</p>']);
    expect(z.articles[0]?.published.toISOString()).toBe('2003-12-13T18:30:02.000Z');
  });

  it('picks the alternate Atom link, not self or enclosure, and survives text-only links', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>L</title>
      <link rel="self" href="http://l.example/feed.atom"/><link href="http://l.example/"/>
      <entry><title>E</title><id>1</id><link rel="enclosure" href="http://l.example/a.mp3"/>
      <link rel="alternate" type="application/json" href="http://l.example/e.json"/><link rel="alternate" type="text/html" href="http://l.example/e"/></entry>
      <entry><title>F</title><id>2</id><link>http://l.example/f</link></entry></feed>`;
    const parsed = parseFeed(xml);
    expect(parsed.link).toBe('http://l.example/');
    expect(parsed.articles.map((a) => a.url)).toEqual(['http://l.example/e', 'http://l.example/f']);
  });

  it('gives items without guid or link a stable content hash id', () => {
    const text =
      '<rss version="2.0"><channel><title>T</title><item><title>No id</title><description>body</description></item></channel></rss>';
    const one = parseFeed(text).articles[0]!;
    const two = parseFeed(text).articles[0]!;
    expect(one.id).toMatch(/^sha256:[0-9a-f]{32}$/);
    expect(one.id).toBe(two.id);
  });

  it('refuses what is not a feed with a typed error', () => {
    expect(thrown(() => parseFeed('')).code).toBe('FEED_EMPTY');
    expect(thrown(() => parseFeed('<!DOCTYPE html><html><body>hi</body></html>')).code).toBe('FEED_NOT_RECOGNIZED');
    expect(thrown(() => parseFeed('{"a":1}')).code).toBe('FEED_NOT_RECOGNIZED');
    expect(thrown(() => parseFeed('{"version": "https://jsonfeed.org/version/1.1", ')).code).toBe('FEED_MALFORMED');
    expect(thrown(() => parseFeed('<rss version="2.0"><channel><title>x</ti')).code).toBe('FEED_MALFORMED');
    expect(thrown(() => parseFeed('plain text')).code).toBe('FEED_NOT_RECOGNIZED');
  });
});

describe('parseFeed encodings', () => {
  const title = {
    'windows-1251': 'Новости дня',
    gbk: '今日新闻',
    big5: '今日新聞',
    shift_jis: '今日のニュース',
    'euc-kr': '오늘의 뉴스',
    'koi8-r': 'Новости',
  };
  it.each(Object.entries(title))('decodes %s declared in the XML declaration', (encoding, text) => {
    const xml = `<?xml version="1.0" encoding="${encoding}"?><rss version="2.0"><channel><title>${text}</title></channel></rss>`;
    const parsed = parseFeed(iconv.encode(xml, encoding));
    expect(parsed.title).toBe(text);
  });

  it('lets the Content-Type charset win over the declaration, and the BOM over both', () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Привет</title></channel></rss>';
    expect(parseFeed(iconv.encode(xml, 'koi8-r'), { contentType: 'text/xml; charset=KOI8-R' }).title).toBe('Привет');
    const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(xml, 'utf-16le')]);
    const parsed = parseFeed(bom, { contentType: 'text/xml; charset=iso-8859-1' });
    expect([parsed.title, parsed.encoding]).toEqual(['Привет', 'utf-16le']);
    const utf32 = iconv.encode(xml.replace('utf-8', 'utf-32'), 'utf-32be');
    expect(parseFeed(utf32).title).toBe('Привет');
  });

  it('detects an undeclared legacy encoding from the bytes', () => {
    const title = '北京市今日新闻发布会召开，市民关注交通与住房问题的最新进展';
    const xml = `<rss version="2.0"><channel><title>${title}</title><description>${title.repeat(3)}</description></channel></rss>`;
    const parsed = parseFeed(iconv.encode(xml, 'gb18030'));
    expect([parsed.title, parsed.encoding]).toEqual([title, 'gb18030']);
  });

  it('trusts the bytes when a Latin-1 declaration hides UTF-8, and the reverse', () => {
    const lying = Buffer.from(
      '<?xml version="1.0" encoding="iso-8859-1"?><rss version="2.0"><channel><title>Börse – Kurse</title></channel></rss>',
    );
    const parsed = parseFeed(lying);
    expect(parsed.title).toBe('Börse – Kurse');
    expect(parsed.warnings.join()).toMatch(/declared iso-8859-1 but the bytes are UTF-8/);
    const latin = iconv.encode(
      '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Café “x”</title></channel></rss>',
      'windows-1252',
    );
    expect(parseFeed(latin).title).toBe('Café “x”');
  });
});

describe('parseFeed safety and URLs', () => {
  it('never reads external entities or DTDs', () => {
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>t&xxe;</title></channel></rss>`;
    const parsed = parseFeed(xml);
    expect(parsed.title).not.toContain('root:');
    expect(parsed.title).toBe('t&xxe;');
  });

  it('does not expand entity bombs', () => {
    const defs = ['<!ENTITY lol "lol">'];
    for (let i = 1; i < 10; i++) defs.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const xml = `<?xml version="1.0"?><!DOCTYPE rss [${defs.join('')}]><rss version="2.0"><channel><title>&lol9;</title></channel></rss>`;
    const error = thrown(() => parseFeed(xml));
    expect([error.code, error.message]).toEqual(['FEED_MALFORMED', expect.stringMatching(/entity bomb/)]);
    const loop =
      '<!DOCTYPE rss [<!ENTITY a "&b;"><!ENTITY b "&a;">]><rss version="2.0"><channel><title>&a;</title></channel></rss>';
    expect(thrown(() => parseFeed(loop)).message).toMatch(/nests deeper/);
  });

  it('expands small internal entities declared in the DOCTYPE', () => {
    const xml = `<!DOCTYPE rss [<!ENTITY id "tag:example.com,"><!ENTITY co "&id;&amp; co">]>
<rss version="2.0"><channel><title>&co;</title><item><guid isPermaLink="false">&id;2006:/blog/</guid></item></channel></rss>`;
    const parsed = parseFeed(xml);
    expect(parsed.title).toBe('tag:example.com,& co');
    expect(parsed.articles[0]?.id).toBe('tag:example.com,2006:/blog/');
  });

  it('decodes HTML entities once and keeps escaped markup as markup', () => {
    const xml = `<rss version="2.0"><channel><title>Caf&eacute; &amp;amp; bar&nbsp;x</title>
      <item><title>AT&amp;amp;T &lt;b&gt;bold&lt;/b&gt;</title><description>&lt;p&gt;5 &amp;lt; 6&lt;/p&gt;</description></item></channel></rss>`;
    const parsed = parseFeed(xml);
    expect(parsed.title).toBe('Café & bar\u00a0x');
    expect(parsed.articles[0]?.title).toBe('AT&T bold');
    expect(parsed.articles[0]?.html).toBe('<p>5 &lt; 6</p>');
  });

  it('resolves relative links against xml:base, the feed URL and the feed link', () => {
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://base.example/root/"><title>B</title>
      <entry xml:base="posts/"><title>E</title><link href="one.html"/><id>1</id>
      <content type="html">&lt;img src="../img/a.png"&gt;&lt;a href="/abs"&gt;x&lt;/a&gt;&lt;a href="#n"&gt;n&lt;/a&gt;</content></entry></feed>`;
    const [entry] = parseFeed(xml, { url: 'http://feed.example/atom.xml' }).articles;
    expect(entry?.url).toBe('http://base.example/root/posts/one.html');
    expect(entry?.html).toContain('src="http://base.example/root/img/a.png"');
    expect(entry?.html).toContain('href="http://base.example/abs"');
    expect(entry?.html).toContain('href="#n"');
    const rssXml =
      '<rss version="2.0"><channel><title>R</title><link>https://site.example/blog/</link><item><title>x</title><link>p/1</link></item></channel></rss>';
    expect(parseFeed(rssXml, { url: 'file:///tmp/feed.xml' }).articles[0]?.url).toBe('https://site.example/blog/p/1');
  });
});
