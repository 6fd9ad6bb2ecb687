import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { paragraphs } from '@news2kindle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildEpub } from './build.js';
import { EpubError } from './errors.js';
import { lintKindle } from './lint.js';
import { epubcheck, hasEpubcheck } from './test-support.js';
import type { Issue, IssueArticle } from './types.js';
import { readZip } from './unzip.js';

const withEpubcheck = hasEpubcheck();
let dir: string;
const built: string[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n2k-build-'));
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const DATE = new Date('2026-11-29T07:00:00Z');
const art = (id: string, title: string, html: string, extra: Partial<IssueArticle> = {}): IssueArticle => ({
  id,
  title,
  html,
  url: `https://news.example/${id}`,
  ...extra,
});

const HOSTILE: IssueArticle[] = [
  art(
    'scripts',
    'Scripts and handlers',
    '<p onclick="steal()" onmouseover="x">Text<script>document.write("x")</script></p><a href="javascript:alert(1)">bad</a><img src="x" onerror="alert(1)"><style>*{}</style><form action="/"><input></form><iframe src="https://ads.example"></iframe><iframe src="https://player.vimeo.com/video/1"></iframe><object data="x.swf"></object><svg><script>1</script></svg><math><mi>x</mi></math>',
  ),
  art(
    'nesting',
    'Broken nesting',
    '<p><b>bold <i>both</b> italic</i><div>block in p</div><ul><p>p in ul</p>text<li>li<li>li2</ul><table><tr><td>cell<td>two</tr><p>in table</p></table><span><h2>heading in span</h2></span><a href="#x"><div id="x">block in link</div></a><dl><dd>dd first</dd><dt>term</dt></dl><figure><img alt="no src"><figcaption>cap</figcaption><p>after caption</p></figure><li>stray li</li><td>stray td</td>',
  ),
  art(
    'comments',
    'Comments with -- dashes',
    '<p>a<!-- one -- two --->b<!---->c<!-- <p>hidden</p> --></p><p>--> and <!-- unterminated',
  ),
  art(
    'attrs',
    'Huge attributes',
    `<p title="${'t'.repeat(500_000)}" data-x="${'y'.repeat(500_000)}">huge</p><a href="https://example.com/${'p'.repeat(5000)}">long href</a><img alt="${'a'.repeat(100_000)}">`,
  ),
  art(
    'deep',
    '10,000 nested divs',
    `${'<div><span>'.repeat(5000)}deep text${'</span></div>'.repeat(5000)}${'<div>'.repeat(10_000)}deeper${'</div>'.repeat(10_000)}`,
  ),
  art(
    'rtl',
    'مقال باللغة العربية',
    '<p>قالت الحكومة اليوم إن القواعد الجديدة ستدخل حيز التنفيذ في الربيع المقبل بعد مراجعة طويلة.</p>',
    { language: 'ar', dir: 'rtl' },
  ),
  art(
    'cjk',
    '中文新闻标题',
    '<p>北京时间今天上午，国务院召开常务会议，研究部署下一阶段经济工作，会议指出要稳定预期。</p><ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby>',
  ),
  art(
    'controls',
    'Control \u0000 characters \u0007',
    '<p>bell\u0007 null\u0000 vt\u000b and \uFFFE, lone \uD800 surrogate</p>',
  ),
  art('empty', '', ''),
  art(
    'ids',
    'Duplicate ids and internal links',
    '<h2 id="top">Top</h2><p id="top">again</p><p id="n2k-top">collision?</p><a href="#top">to top</a><a href="https://news.example/ids#top">self link</a><a href="#nowhere">dead</a><a name="old">named anchor</a><a href="#old">to named</a>',
  ),
  art(
    'entities',
    'Entities & < > " \'',
    '<p>AT&T &amp; &nbsp; &copy; &#x1F600; &bogus; <br> 5 < 6 > 4</p><pre>  code\n  <b>kept</b></pre><table><caption>c</caption><thead><tr><th scope="col" colspan="2">h</th></tr></thead><tbody><tr><td rowspan="x">1</td><td>2</td></tr></tbody></table>',
  ),
];

function hostileIssue(): Issue {
  return {
    title: 'Hostile',
    date: DATE,
    language: 'en',
    creator: 'Tester',
    sections: [
      { title: 'Attacks', articles: HOSTILE.slice(0, 5) },
      { title: 'Empty section', articles: [] },
      { title: '', articles: HOSTILE.slice(5) },
    ],
  };
}

describe('buildEpub', () => {
  it('builds a valid book from hostile HTML', async () => {
    const output = join(dir, 'hostile.epub');
    const events: string[] = [];
    const result = await buildEpub(hostileIssue(), { output, images: false, onProgress: (e) => events.push(e.type) });
    built.push(output);
    expect(result.articles).toBe(HOSTILE.length);
    expect(result.articleIds).toEqual(HOSTILE.map((a) => a.id));
    expect(result.title).toBe('Hostile — 2026-11-29');
    expect(events.filter((e) => e === 'article')).toHaveLength(HOSTILE.length);
    expect(events.at(-1)).toBe('done');
    const files = new Map((await readZip(output)).map((e) => [e.name, e.data.toString('utf8')]));
    const all = [...files.values()].join('\n');
    expect(all).not.toMatch(/<script|onclick|onerror|javascript:|<iframe|<form|<style/i);
    expect(all).toContain('Video: https://player.vimeo.com/video/1');
    const rtl = files.get('OEBPS/s003-a001.xhtml')!;
    expect(rtl).toContain('<div class="article" xml:lang="ar" lang="ar" dir="rtl">');
    expect(files.get('OEBPS/s003-a002.xhtml')).toContain('xml:lang="zh" lang="zh"');
    const opf = files.get('OEBPS/content.opf')!;
    expect(opf).toContain('<dc:language>en</dc:language>');
    expect(opf).toContain('<dc:title>Hostile — 2026-11-29</dc:title>');
    expect(opf).toContain('<dc:creator>Tester</dc:creator>');
    expect(opf).toMatch(/<meta property="dcterms:modified">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/meta>/);
    const article = files.get('OEBPS/s001-a002.xhtml')!;
    expect(article).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(article).toContain('<a href="s001-a001.xhtml">« Previous</a>');
    expect(article).toContain('<a href="s001.xhtml">Section</a>');
    expect(article).toContain('<a href="index.xhtml">Index</a>');
    expect(article).toContain('<a href="s001-a003.xhtml">Next »</a>');
    expect(await lintKindle(output)).toEqual([]);
  });

  it('writes the NCX and nav in spine order, with two levels', async () => {
    const path = built[0]!;
    const files = new Map((await readZip(path)).map((e) => [e.name, e.data.toString('utf8')]));
    const spine = [...files.get('OEBPS/content.opf')!.matchAll(/<itemref idref="([^"]+)"/g)].map(
      (m) => `${m[1]}.xhtml`,
    );
    const ncx = [...files.get('OEBPS/toc.ncx')!.matchAll(/<content src="([^"]+)"/g)].map((m) => m[1]);
    expect(spine.filter((s) => s !== 'cover.xhtml')).toEqual(ncx);
    expect(files.get('OEBPS/toc.ncx')).toMatch(/<navPoint id="np2" playOrder="2">.*\n<navPoint id="np3"/);
    const nav = [...files.get('OEBPS/nav.xhtml')!.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1]);
    expect(nav.slice(0, ncx.length)).toEqual(ncx);
    expect(files.get('mimetype')).toBe('application/epub+zip');
  });

  it('detects the language when the issue has none: Chinese comes out as zh', async () => {
    const zh = Array.from({ length: 3 }, (_, i) =>
      art(`z${i}`, `新闻${i}`, '<p>北京时间今天上午，国务院召开常务会议，研究部署经济工作。</p>'),
    );
    const result = await buildEpub(
      { title: '新闻', date: DATE, sections: [{ title: '国内', articles: zh }] },
      { output: join(dir, 'zh.epub') },
    );
    expect(result.language).toBe('zh');
    expect(result.title).toBe('新闻 — 2026-11-29');
    built.push(result.path);
    const en = paragraphs(3).map((p, i) => art(`e${i}`, `Story ${i}`, `<p>${p}</p>`));
    expect(
      (
        await buildEpub(
          { title: 'News', date: DATE, sections: [{ title: 'Home', articles: en }] },
          { output: join(dir, 'en.epub') },
        )
      ).language,
    ).toBe('en');
    expect(await lintKindle(result.path)).toEqual([]);
  });

  it('takes the language of most articles for the book, each article keeping its own', async () => {
    const [p1, p2, p3] = paragraphs(3, 40);
    const arabic = 'قالت الحكومة اليوم إن القواعد الجديدة ستدخل حيز التنفيذ في الربيع المقبل بعد مراجعة طويلة. '.repeat(
      40,
    );
    const chinese = '北京时间今天上午，国务院召开常务会议，研究部署经济工作。'.repeat(40);
    const german = 'Die Regierung hat gesagt, dass die neuen Regeln nicht mit der Sache auf den Weg sind. '.repeat(5);
    const result = await buildEpub(
      {
        title: 'World',
        date: DATE,
        sections: [
          {
            title: 'Mixed',
            articles: [
              art('en1', 'Council news', `<p>${p1}</p>`),
              art('ar', 'خبر', `<p>${arabic}</p>`),
              art('en2', 'River news', `<p>${p2}</p>`),
              art('zh', '新闻', `<p>${chinese}</p>`),
              art('de', 'Nachrichten', `<p>${german}</p>`),
              art('en3', 'Harbour news', `<p>${p3}</p>`),
            ],
          },
        ],
      },
      { output: join(dir, 'mixed.epub'), images: false },
    );
    expect(result.language).toBe('en');
    const files = new Map((await readZip(result.path)).map((e) => [e.name, e.data.toString('utf8')]));
    expect(files.get('OEBPS/content.opf')).toContain('<dc:language>en</dc:language>');
    expect(files.get('OEBPS/s001-a001.xhtml')).toContain('<div class="article">');
    expect(files.get('OEBPS/s001-a002.xhtml')).toContain('<div class="article" xml:lang="ar" lang="ar" dir="rtl">');
    expect(files.get('OEBPS/s001-a004.xhtml')).toContain('<div class="article" xml:lang="zh" lang="zh"');
    expect(files.get('OEBPS/s001-a005.xhtml')).toContain('<div class="article" xml:lang="de" lang="de"');
    expect(await lintKindle(result.path)).toEqual([]);
    built.push(result.path);
  });

  it('treats a limit that is not a number of at least 1 as the default instead of stalling', async () => {
    const articles = paragraphs(3).map((p, i) => art(`n${i}`, `Story ${i}`, `<p>${p}</p>`));
    const result = await buildEpub(
      { title: 'Limits', date: DATE, sections: [{ title: 'Home', articles }] },
      {
        output: join(dir, 'limits.epub'),
        lookahead: Number.NaN,
        imageConcurrency: 0,
        imageConvertConcurrency: Number.NaN,
      },
    );
    expect(result.articles).toBe(3);
  });

  it('sets the direction of an RTL book and of each article that differs from it', async () => {
    const result = await buildEpub(
      {
        title: 'חדשות',
        date: DATE,
        language: 'he',
        sections: [
          {
            title: 'ראשי',
            articles: [
              art('he', 'כותרת', '<p>שלום עולם, זהו מאמר בעברית על החדשות של היום.</p>'),
              art('en', 'English', `<p>${paragraphs(1)[0]}</p>`),
            ],
          },
        ],
      },
      { output: join(dir, 'he.epub'), images: false },
    );
    const files = new Map((await readZip(result.path)).map((e) => [e.name, e.data.toString('utf8')]));
    expect(files.get('OEBPS/index.xhtml')).toContain('xml:lang="he" lang="he" dir="rtl">');
    expect(files.get('OEBPS/s001-a001.xhtml')).toContain('<div class="article">');
    expect(files.get('OEBPS/s001-a002.xhtml')).toContain('<div class="article" xml:lang="en" lang="en" dir="ltr">');
    expect(await lintKindle(result.path)).toEqual([]);
  });

  it('rejects bad input with typed errors and leaves no partial file when aborted', async () => {
    const output = join(dir, 'bad.epub');
    await expect(buildEpub(hostileIssue(), { output, device: 'nook' as never })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
    await expect(buildEpub({ title: 'x', date: new Date('nope'), sections: [] }, { output })).rejects.toBeInstanceOf(
      EpubError,
    );
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(buildEpub(hostileIssue(), { output, signal: controller.signal })).rejects.toMatchObject({
      code: 'ABORTED',
    });
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it.skipIf(!withEpubcheck)(
    'the books pass epubcheck',
    async () => {
      for (const report of await epubcheck(built.slice(0, 2), 2)) {
        expect(report.messages, report.file).toEqual([]);
        expect(report.errors + report.warnings).toBe(0);
      }
    },
    120_000,
  );
});
