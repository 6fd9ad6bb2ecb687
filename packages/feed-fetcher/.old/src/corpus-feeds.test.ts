import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { corpusDir } from '@news2kindle/testkit';
import { decodeHTML } from 'entities';
import { describe, expect, it } from 'vitest';
import { FeedError, type ParsedFeed, parseFeed } from './index.js';

// Every file of nine parsers' test suites (N2K_CORPUS/feeds) must parse or give a FeedError, and
// where a suite ships expected values we compare the fields we map and print the agreement rate.
const corpus = corpusDir();
const feedsDir = corpus && join(corpus, 'feeds');

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

const text = (v: unknown) =>
  typeof v === 'string'
    ? decodeHTML(v.replace(/<[^>]*>/g, ''))
        .replace(/\s+/g, ' ')
        .trim()
    : undefined;

class Tally {
  readonly fields = new Map<string, { agree: number; total: number; misses: string[] }>();
  check(field: string, expected: unknown, actual: unknown, file: string): void {
    // Some shipped expectations are themselves mojibake (rss-parser read Latin-1 as UTF-8).
    if (typeof expected === 'string' && expected.includes('\uFFFD')) return;
    const entry = this.fields.get(field) ?? { agree: 0, total: 0, misses: [] };
    this.fields.set(field, entry);
    entry.total++;
    if (expected === actual) entry.agree++;
    else if (entry.misses.length < 3)
      entry.misses.push(`${file}: expected ${JSON.stringify(expected)} got ${JSON.stringify(actual)}`);
  }
  rate(): number {
    let agree = 0;
    let total = 0;
    for (const f of this.fields.values()) {
      agree += f.agree;
      total += f.total;
    }
    return total ? agree / total : 1;
  }
  report(name: string): string {
    const lines = [...this.fields].map(
      ([field, f]) => `  ${field}: ${f.agree}/${f.total}${f.misses.length ? `\n    ${f.misses.join('\n    ')}` : ''}`,
    );
    return `${name} agreement ${(this.rate() * 100).toFixed(1)}%\n${lines.join('\n')}`;
  }
}

/** Python string literal (u'..' or '..') to a JS string: the escapes feedparser's tests use. */
function pyString(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (_m, esc: string) => {
    if (/^[xuU]/.test(esc)) return String.fromCodePoint(Number.parseInt(esc.slice(1), 16));
    return ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[esc] ?? esc;
  });
}

function feedparserChecks(file: string, bytes: Buffer, feed: ParsedFeed | undefined, tally: Tally): void {
  const head = bytes.subarray(0, 3000).toString('latin1');
  const expect = /Expect:\s*(.*)/.exec(head)?.[1];
  if (!expect || !feed) return;
  const name = relative(feedsDir!, file);
  for (const clause of expect.split(/\s+and\s+/)) {
    const str = /^(feed|entries\[0\])\['(title|link|id)'\]\s*==\s*u?(['"])(.*)\3$/.exec(clause.trim());
    // Feed ids are not part of ParsedFeed.
    if (str && !(str[1] === 'feed' && str[2] === 'id')) {
      const [, scope, field, , body] = str;
      const item = scope === 'feed' ? feed : feed.articles[0];
      const actual =
        scope === 'feed'
          ? field === 'title'
            ? feed.title
            : feed.link
          : item &&
            (field === 'title'
              ? (item as { title: string }).title
              : field === 'link'
                ? feed.articles[0]?.url
                : feed.articles[0]?.id);
      const expected = pyString(body!);
      // feedparser's expected titles are HTML; ours are plain text already.
      const plain = typeof actual === 'string' ? actual.replace(/\s+/g, ' ').trim() : actual;
      tally.check(
        `feedparser ${scope}.${field}`,
        field === 'title' ? text(expected) : expected,
        field === 'title' ? plain : actual,
        name,
      );
      continue;
    }
    const enc = /^encoding\s*==\s*u?['"]([^'"]+)['"]$/.exec(clause.trim());
    if (enc) tally.check('feedparser encoding', enc[1]!.toLowerCase(), feed.encoding, name);
    const date =
      /^entries\[0\]\['(published|updated|created|issued|modified|date)_parsed'\]\s*==\s*\((\d+), (\d+), (\d+), (\d+), (\d+), (\d+)/.exec(
        clause.trim(),
      );
    if (date) {
      const [, , y, mo, d, h, mi, s] = date.map(Number) as number[];
      const expected = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!)).toISOString();
      tally.check(
        'feedparser entry date',
        expected,
        feed.articles[0]?.undated ? undefined : feed.articles[0]?.published.toISOString(),
        name,
      );
    }
  }
}

/** URLs compared as the same resource: resolved against the feed URL and normalised. */
function sameUrl(url: string | undefined, base: string): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url.trim(), base).href;
  } catch {
    return url.trim();
  }
}

type Json = Record<string, unknown>;
function expectedJsonChecks(file: string, feed: ParsedFeed | undefined, tally: Tally, suite: string): void {
  const jsonPath = file.replace(/\.[^.]+$/, suite === 'rss-parser' ? '.json' : '.json');
  const path = suite === 'rss-parser' ? file.replace('/input/', '/output/').replace(/\.[^.]+$/, '.json') : jsonPath;
  if (path === file || !existsSync(path) || basename(path) === 'uolNoticias.json' || !feed) return;
  let data: Json;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch {
    return;
  }
  const root = (suite === 'rss-parser' ? data.feed : data) as Json;
  const name = relative(feedsDir!, file);
  if (typeof root.title === 'string') tally.check(`${suite} feed.title`, text(root.title), text(feed.title), name);
  const base = 'http://example.org/feed.xml';
  if (typeof root.link === 'string' && suite === 'rss-parser') {
    tally.check(`${suite} feed.link`, sameUrl(root.link, base), sameUrl(feed.link, base), name);
  }
  const items = (root.items ?? root.entries) as Json[] | undefined;
  if (!Array.isArray(items)) return;
  tally.check(`${suite} item count`, items.length, feed.articles.length, name);
  items.forEach((item, i) => {
    const article = feed.articles[i];
    if (typeof item.title === 'string')
      tally.check(`${suite} item.title`, text(item.title), article && text(article.title), name);
    if (typeof item.link === 'string' && item.link.trim()) {
      tally.check(`${suite} item.link`, sameUrl(item.link, base), sameUrl(article?.url, base), name);
    }
    const iso = (item.publishedParsed ?? item.isoDate) as string | undefined;
    if (typeof iso === 'string') {
      tally.check(
        `${suite} item.date`,
        new Date(iso).toISOString(),
        article && !article.undated ? article.published.toISOString() : undefined,
        name,
      );
    }
  });
}

describe.skipIf(!feedsDir)('corpus: every feed file parses or gives a FeedError', () => {
  it('reads all files without crashing, hanging or mojibake, and agrees with shipped expectations', () => {
    const files = walk(feedsDir!);
    const tally = new Tally();
    const crashes: string[] = [];
    const mojibake: string[] = [];
    const codes: Record<string, number> = {};
    let parsed = 0;
    let wellformed = 0;
    let wellformedParsed = 0;
    let slowest = { file: '', ms: 0 };
    for (const file of files) {
      const bytes = readFileSync(file);
      const name = relative(feedsDir!, file);
      const suite = name.split('/')[0]!;
      const head = bytes.subarray(0, 3000).toString('latin1');
      const header = /Header:\s*Content-type:\s*(.*)/i.exec(head)?.[1]?.trim();
      const url =
        suite === 'feedparser'
          ? `http://127.0.0.1:8097/${relative(join(feedsDir!, 'feedparser'), file)}`
          : 'http://example.org/feed.xml';
      const isWellformed = name.includes('/wellformed/') && file.endsWith('.xml');
      if (isWellformed) wellformed++;
      let feed: ParsedFeed | undefined;
      const started = performance.now();
      try {
        feed = parseFeed(bytes, { url, contentType: header });
        parsed++;
        if (isWellformed) wellformedParsed++;
      } catch (error) {
        if (error instanceof FeedError) codes[error.code] = (codes[error.code] ?? 0) + 1;
        else crashes.push(`${name}: ${(error as Error)?.stack ?? String(error)}`);
      }
      const ms = performance.now() - started;
      if (ms > slowest.ms) slowest = { file: name, ms };
      // Known encoding: a BOM, an HTTP charset, or a declaration naming a real encoding (not a deliberate lie).
      const known =
        /^(\xEF\xBB\xBF|\xFF\xFE|\xFE\xFF)/.test(head) ||
        /charset=/i.test(header ?? '') ||
        /<\?xml[^>]*encoding=["'](utf-8|iso-8859-1|windows-125\d|big5|gb2312|gbk|euc-kr|euc-jp|shift_jis|koi8-r)["']/i.test(
          head,
        );
      if (feed && known && !/bozo|illformed|mismatch|bogus|chardet/.test(name)) {
        const titles = [feed.title, ...feed.articles.map((a) => a.title)];
        if (titles.some((t) => t.includes('\uFFFD'))) mojibake.push(`${name} (${feed.encoding})`);
      }
      if (suite === 'feedparser') feedparserChecks(file, bytes, feed, tally);
      else if (
        (suite === 'gofeed' && /\.(xml|json)$/.test(file) && !file.endsWith('_expected.json')) ||
        suite === 'rss-parser'
      ) {
        if (!file.endsWith('.json') || suite === 'gofeed') expectedJsonChecks(file, feed, tally, suite);
      }
    }
    console.log(
      `[corpus feeds] ${files.length} files: ${parsed} parsed, errors by code ${JSON.stringify(codes)}; ` +
        `feedparser wellformed parsed ${wellformedParsed}/${wellformed}; slowest ${slowest.file} ${slowest.ms.toFixed(0)} ms\n` +
        tally.report('[corpus feeds] expectations'),
    );
    expect(crashes).toEqual([]);
    expect(mojibake).toEqual([]);
    expect(files.length).toBeGreaterThan(3000);
    expect(wellformedParsed / wellformed).toBeGreaterThan(0.97);
    expect(tally.rate()).toBeGreaterThan(0.95);
  });
});
