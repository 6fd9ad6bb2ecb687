import { describe, expect, it } from 'vitest';
import { checkXml } from './xml-check.js';
import { fillImages, sanitizeHtml } from './sanitize.js';

const clean = (html: string, baseUrl?: string) =>
  sanitizeHtml(html, { idPrefix: 'c1-', ...(baseUrl ? { baseUrl } : {}) });

describe('sanitizeHtml', () => {
  it('drops scripts, styles, handlers, javascript: URLs, forms and comments', () => {
    const { xhtml } = clean(
      '<p onclick="x()" style="color:red">Hi<script>alert(1)</script><style>p{}</style><!-- secret --></p><a href="javascript:alert(1)">js</a><form><input value="x"></form>',
    );
    expect(xhtml).toBe('<p>Hi</p><a>js</a>');
  });

  it('repairs broken nesting into valid content models', () => {
    const { xhtml } = clean('<span><div>a</div></span><ul>text<p>b</p></ul><p><b>c<i>d</p>e</b>');
    expect(xhtml).toContain('<ul><li>text</li><li><p>b</p></li></ul>');
    expect(xhtml).not.toMatch(/<span><div/);
    expect(checkXml(`<r>${xhtml}</r>`)).toEqual([]);
  });

  it('survives 10,000 nested divs and huge attributes', () => {
    const deep = `${'<div>'.repeat(10_000)}deep${'</div>'.repeat(10_000)}`;
    const { xhtml } = clean(`${deep}<p title="${'x'.repeat(200_000)}">t</p>`);
    expect(xhtml).toContain('deep');
    expect(xhtml.length).toBeLessThan(5000);
    expect(checkXml(`<r>${xhtml}</r>`)).toEqual([]);
  });

  it('makes ids unique and keeps internal links pointing at them', () => {
    const { xhtml } = clean('<p id="a">1</p><p id="a">2</p><a href="#a">go</a><a href="#missing">no</a>');
    expect(xhtml).toBe('<p id="c1-a">1</p><p id="c1-a-2">2</p><a href="#c1-a">go</a><a>no</a>');
  });

  it('keeps the id of an unwrapped element so links to it still work', () => {
    const { xhtml } = clean('<a href="#x">go</a><span><div id="x">block</div></span>');
    expect(xhtml).toBe('<a href="#c1-x">go</a><span><span id="c1-x"></span>block </span>');
  });

  it('turns video iframes into links and drops other iframes', () => {
    const { xhtml } = clean(
      '<iframe src="https://www.youtube.com/embed/abc123"></iframe><iframe src="https://ads.example/x"></iframe>',
    );
    expect(xhtml).toBe(
      '<p class="media"><a href="https://www.youtube.com/watch?v=abc123">Video: https://www.youtube.com/watch?v=abc123</a></p>',
    );
  });

  it('resolves relative URLs, prefers lazy-load sources and never leaves an img without src', () => {
    const { xhtml, images } = clean(
      '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/big.jpg" alt="A"><img alt="no source"><img src="rel.png">',
      'https://news.example/story/1',
    );
    expect(images).toEqual([
      { url: 'https://news.example/big.jpg', alt: 'A' },
      { url: 'https://news.example/story/rel.png', alt: '' },
    ]);
    expect(fillImages(xhtml, (i) => `[img${i}]`)).toBe('[img0][no source][img1]');
  });

  it('keeps lang and dir, and strips characters XML forbids', () => {
    const { xhtml } = clean('<p lang="ar" dir="rtl">مرحبا\u0000\u0007</p><p lang="bad lang!">x</p>');
    expect(xhtml).toBe('<p xml:lang="ar" lang="ar" dir="rtl">مرحبا</p><p>x</p>');
  });
});

describe('checkXml', () => {
  it('finds "--" in comments, bare ampersands and unbalanced tags', () => {
    expect(checkXml('<a><!-- x -- y --></a>').map((p) => p.rule)).toEqual(['comment-dashes']);
    expect(checkXml('<a>AT&T</a>').map((p) => p.rule)).toEqual(['xml']);
    expect(checkXml('<a><b></a>').length).toBeGreaterThan(0);
  });
});
