import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusDir, esc, startTestServer } from '@news2kindle/testkit';
import { parseHTML } from 'linkedom';
import { describe, expect, it } from 'vitest';
import { fetchFeeds } from './index.js';

// Readability's own test pages (N2K_CORPUS/pages), served over loopback and pulled through
// fetchFeeds' full-text path; the extracted text is compared with Readability's expected.html.
const corpus = corpusDir();
const pagesDir = corpus && join(corpus, 'pages');

function textOf(html: string): string {
  const { document } = parseHTML(`<!DOCTYPE html><html><body>${html}</body></html>`);
  return document.body?.textContent ?? '';
}

/** Words (or single CJK characters) as a multiset. */
function tokens(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of text.toLowerCase().match(/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[\p{L}\p{N}]+/gu) ??
    []) {
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return counts;
}

/** F1 of the two token multisets: 1 when the texts have the same words. */
function similarity(a: string, b: string): number {
  const ta = tokens(a);
  const tb = tokens(b);
  let common = 0;
  let na = 0;
  let nb = 0;
  for (const [t, n] of ta) {
    na += n;
    common += Math.min(n, tb.get(t) ?? 0);
  }
  for (const n of tb.values()) nb += n;
  return na + nb === 0 ? 1 : (2 * common) / (na + nb);
}

describe.skipIf(!pagesDir)('corpus: full text of real pages over loopback', () => {
  it('extracts text matching Readability expectations for most pages', async () => {
    const names = readdirSync(pagesDir!).sort();
    const server = await startTestServer();
    try {
      for (const name of names) {
        server.route(`/${name}/page.html`, { file: join(pagesDir!, name, 'source.html') });
      }
      const items = names
        .map(
          (name) =>
            `<item><title>${esc(name)}</title><link>${server.at(`/${name}/page.html`)}</link><description>teaser…</description></item>`,
        )
        .join('');
      server.route('/pages.xml', { body: `<rss version="2.0"><channel><title>Pages</title>${items}</channel></rss>` });
      const [result] = await fetchFeeds([{ url: server.at('/pages.xml'), fullText: 'always' }], {
        concurrency: 16,
        perHost: 16,
        retries: 0,
      });
      expect(result?.ok).toBe(true);
      const scores: Array<[string, number]> = [];
      const failures: string[] = [];
      let sameImages = 0;
      const images = (html: string) => (html.match(/<img\b[^>]*\bsrc=["'](?!data:)[^"']+/gi) ?? []).length;
      for (const article of result!.articles) {
        const expected = readFileSync(join(pagesDir!, article.title, 'expected.html'), 'utf8');
        if (article.fullText !== 'extracted') {
          failures.push(`${article.title}: ${article.fullTextError}`);
          scores.push([article.title, 0]);
          continue;
        }
        scores.push([article.title, similarity(textOf(article.html), textOf(expected))]);
        if (images(article.html) === images(expected)) sameImages++;
      }
      const matching = scores.filter(([, s]) => s >= 0.9);
      const rate = matching.length / scores.length;
      const worst = [...scores].sort((a, b) => a[1] - b[1]).slice(0, 8);
      console.log(
        `[corpus pages] ${matching.length}/${scores.length} pages match Readability's expected text (F1 ≥ 0.9): ${(rate * 100).toFixed(1)}%; ` +
          `mean F1 ${(scores.reduce((s, [, v]) => s + v, 0) / scores.length).toFixed(3)}\n` +
          `  same number of real images as expected: ${sameImages}/${scores.length}\n` +
          `  lowest: ${worst.map(([n, s]) => `${n} ${s.toFixed(2)}`).join(', ')}\n` +
          (failures.length ? `  failed: ${failures.join('; ')}` : ''),
      );
      expect(scores.length).toBe(names.length);
      expect(rate).toBeGreaterThan(0.9);
    } finally {
      await server.close();
    }
  });
});
