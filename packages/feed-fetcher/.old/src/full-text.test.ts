import { articlePage, paragraphs } from '@news2kindle/testkit';
import { describe, expect, it } from 'vitest';
import { extractFullText, FeedError, isSummaryOnly } from './index.js';

const body = paragraphs(6, 70)
  .map((p) => `<p>${p}</p>`)
  .join('\n');

describe('extractFullText', () => {
  it('turns lazy images into real ones before Readability runs', () => {
    const html = `<!DOCTYPE html><html><head><title>Lazy</title></head><body><article><h1>Lazy</h1>
      ${body}
      <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-original="/img/one.jpg" alt="one">
      <img data-srcset="/img/two-300.jpg 300w, /img/two-900.jpg 900w" alt="two">
      <img class="lazy" src="/spacer.gif" alt="three"><noscript><img src="/img/three.jpg" alt="three"></noscript>
      ${body}</article></body></html>`;
    const result = extractFullText(html, 'https://news.example/a/story.html');
    expect(result.html).toContain('src="https://news.example/img/one.jpg"');
    expect(result.html).toContain('src="https://news.example/img/two-900.jpg"');
    expect(result.html).toContain('src="https://news.example/img/three.jpg"');
    expect(result.html).not.toContain('spacer.gif');
    expect(result.length).toBeGreaterThan(1000);
  });

  it('uses <base href> for relative links and drops navigation chrome', () => {
    const page = articlePage({ title: 'Based', paragraphs: paragraphs(5, 70, 3), images: ['pic.jpg'] }).replace(
      '<head>',
      '<head><base href="https://cdn.example/assets/">',
    );
    const result = extractFullText(page, 'https://news.example/story');
    expect(result.html).toContain('src="https://cdn.example/assets/pic.jpg"');
    expect(result.html).not.toContain('Most read');
    expect(result.html).not.toContain('tracker');
    expect(result.title).toBe('Based');
  });

  it('throws FULL_TEXT_FAILED when there is no article', () => {
    try {
      extractFullText('<html><body></body></html>', 'https://news.example/empty');
      throw new Error('expected a FeedError');
    } catch (error) {
      expect(error).toBeInstanceOf(FeedError);
      expect((error as FeedError).code).toBe('FULL_TEXT_FAILED');
    }
  });
});

describe('isSummaryOnly', () => {
  it('spots short and truncated items', () => {
    expect(isSummaryOnly({ html: '<p>A short teaser.</p>' })).toBe(true);
    expect(isSummaryOnly({ html: `<p>${'long text '.repeat(80)}[…]</p>` })).toBe(true);
    expect(isSummaryOnly({ html: `<p>${'long text '.repeat(80)} <a href="/x">Read more</a></p>` })).toBe(true);
    expect(isSummaryOnly({ html: body })).toBe(false);
  });
});
