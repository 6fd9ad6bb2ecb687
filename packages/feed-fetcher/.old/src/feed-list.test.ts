import { describe, expect, it } from 'vitest';
import { FeedError, readFeedList, toFeedsTxt, toOpml } from './index.js';

describe('readFeedList (feeds.txt)', () => {
  it('reads the original format: URLs, comments, blank lines', () => {
    const sources = readFeedList(
      '# my feeds\n\nhttps://a.example/feed.xml\n  http://b.example/rss  # trailing comment\n',
    );
    expect(sources).toEqual([
      { url: 'https://a.example/feed.xml', line: 3 },
      { url: 'http://b.example/rss', line: 4 },
    ]);
  });

  it('reads a title and per-feed options on the same line', () => {
    const [source] = readFeedList(
      'https://a.example/feed Example News full=always max=20 include=kindle,"e book" exclude=sponsored',
    );
    expect(source).toEqual({
      url: 'https://a.example/feed',
      title: 'Example News',
      fullText: 'always',
      maxItems: 20,
      include: ['kindle', 'e book'],
      exclude: ['sponsored'],
      line: 1,
    });
    expect(readFeedList('https://a.example/f title="Quoted #1 title"')[0]?.title).toBe('Quoted #1 title');
  });

  it('turns local paths into file:// URLs against baseDir', () => {
    const [relative, absolute, fileUrl] = readFeedList('feeds/a.xml\n/srv/b.xml\nfile:///srv/c.xml', {
      baseDir: '/home/me',
    });
    expect(relative?.url).toBe('file:///home/me/feeds/a.xml');
    expect(absolute?.url).toBe('file:///srv/b.xml');
    expect(fileUrl?.url).toBe('file:///srv/c.xml');
  });

  it('names the line of an invalid entry', () => {
    const attempt = (text: string) => {
      try {
        readFeedList(text);
      } catch (error) {
        return error as FeedError;
      }
      throw new Error('no error');
    };
    const bad = attempt('https://ok.example/feed\nhttps://x.example/f max=lots');
    expect(bad).toBeInstanceOf(FeedError);
    expect(bad.code).toBe('FEED_LIST_INVALID');
    expect(bad.line).toBe(2);
    expect(bad.message).toMatch(/line 2: max=lots/);
    expect(attempt('ftp://x.example/feed').message).toMatch(/ftp: URLs are not supported/);
    expect(attempt('https://x.example/f full=sometimes').message).toMatch(/full=always/);
    expect(attempt('https://x.example/f colour=red').message).toMatch(/unknown option "colour"/);
    expect(attempt('http://[bad/').code).toBe('FEED_LIST_INVALID');
  });

  it('round-trips through toFeedsTxt', () => {
    const sources = readFeedList(
      'https://a.example/feed title="Two words" full=never max=5 include=a,b exclude=c\nhttps://b.example/feed',
    );
    const again = readFeedList(toFeedsTxt(sources));
    expect(again.map(({ line, ...s }) => s)).toEqual(sources.map(({ line, ...s }) => s));
  });
});

describe('OPML', () => {
  it('reads nested outlines with xmlUrl and title/text, skipping folders', () => {
    const opml = `<?xml version="1.0"?>
<opml version="2.0"><head><title>Subs</title></head><body>
  <outline text="News">
    <outline type="rss" text="Alpha &amp; Co" xmlUrl="https://alpha.example/feed"/>
    <outline text="Beta" title="Beta Title" xmlUrl='https://beta.example/atom'/>
  </outline>
  <outline type="link" text="Just a link" url="https://c.example/"/>
</body></opml>`;
    const sources = readFeedList(opml);
    expect(sources.map((s) => [s.url, s.title])).toEqual([
      ['https://alpha.example/feed', 'Alpha & Co'],
      ['https://beta.example/atom', 'Beta Title'],
    ]);
    expect(sources[0]?.line).toBe(4);
  });

  it('exports OPML that reads back to the same feeds', () => {
    const sources = [
      { url: 'https://a.example/feed?x=1&y=2', title: 'A <b> "quoted"' },
      { url: 'https://b.example/rss' },
    ];
    const opml = toOpml(sources, 'Mine');
    expect(opml).toContain('<title>Mine</title>');
    const back = readFeedList(opml);
    expect(back.map((s) => s.url)).toEqual(sources.map((s) => s.url));
    expect(back[0]?.title).toBe('A <b> "quoted"');
    expect(back[1]?.title).toBe('https://b.example/rss');
  });

  it('rejects a truncated OPML document', () => {
    expect(() => readFeedList('<opml version="2.0"><body><outline xmlUrl="https://a/"/>')).toThrow(/not closed/);
  });
});
