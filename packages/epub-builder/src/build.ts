import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { rename, rm, stat, unlink } from 'node:fs/promises';
import { leanFetch } from '@news2kindle/lean-fetch';
import { articlePage, formatDate } from './article-page.js';
import { renderCover, renderMasthead } from './cover.js';
import { DEVICES, deviceProfile } from './devices.js';
import { EpubError } from './errors.js';
import { pauseSharpCache } from './sharp-cache.js';
import { type ImageResult, ImageStore } from './images.js';
import { detectLanguage, textOf } from './language.js';
import { fillImages, sanitizeHtml, strictUri } from './sanitize.js';
import {
  type ManifestItem,
  type PageRef,
  STYLE,
  type SectionRef,
  containerXml,
  nav,
  ncx,
  opf,
  page,
} from './templates.js';
import type { BuildOptions, BuildResult, Issue, IssueArticle } from './types.js';
import { ZipWriter } from './zip-writer.js';
import { escAttr, escText, isLanguageTag, oneLine } from './xml.js';

interface Job {
  article: IssueArticle;
  section: number;
  href: string;
  id: string;
  sectionHref: string;
  sectionTitle: string;
}

function check(issue: Issue, options: BuildOptions): void {
  const bad = (message: string, code = 'INVALID_ISSUE') => {
    throw new EpubError(code, message);
  };
  if (!issue || typeof issue.title !== 'string') bad('The issue needs a title (string)');
  if (!(issue.date instanceof Date) || Number.isNaN(issue.date.getTime())) bad('The issue needs a valid date');
  if (!Array.isArray(issue.sections)) bad('The issue needs sections (an array)');
  for (const section of issue.sections) {
    if (!section || !Array.isArray(section.articles)) bad('Each section needs articles (an array)');
    for (const a of section.articles) {
      if (!a || typeof a.id !== 'string' || typeof a.html !== 'string' || typeof a.title !== 'string') {
        bad('Each article needs id, title and html (strings)');
      }
    }
  }
  if (!options || typeof options.output !== 'string' || !options.output)
    bad('options.output must be a file path', 'INVALID_OPTIONS');
  if (options.device !== undefined && !(options.device in DEVICES)) {
    bad(`Unknown device "${options.device}"; expected one of ${Object.keys(DEVICES).join(', ')}`, 'INVALID_OPTIONS');
  }
}

/**
 * Each article's own language (its `language`, else detected from its own text; '' when too short
 * to tell) and the book's: the issue's, else the language most articles are in, ties going to the
 * one with more text. Detecting on one sample of all the text let a single Arabic or Chinese article
 * outvote many Latin-script ones (script characters were counted against words).
 */
function languagesOf(issue: Issue, articles: IssueArticle[]): { book: string; own: string[] } {
  const own: string[] = [];
  const votes = new Map<string, { tag: string; count: number; chars: number }>();
  for (const article of articles) {
    const text = `${article.title} ${textOf(article.html.slice(0, 20_000))}`;
    const lang = article.language && isLanguageTag(article.language) ? article.language : detectLanguage(text, '');
    own.push(lang);
    if (!lang) continue;
    const key = lang.split('-')[0]!.toLowerCase();
    const vote = votes.get(key) ?? { tag: lang, count: 0, chars: 0 };
    vote.count++;
    vote.chars += text.length;
    votes.set(key, vote);
  }
  if (issue.language && isLanguageTag(issue.language)) return { book: issue.language, own };
  const top = [...votes.values()].sort((a, b) => b.count - a.count || b.chars - a.chars)[0];
  return { book: top?.tag ?? 'en', own };
}

// A limit of NaN or 0 would stall every queue: anything but a number ≥ 1 means the default.
const count = (value: number | undefined, fallback: number) =>
  typeof value === 'number' && value >= 1 ? Math.floor(Math.min(value, 1024)) : fallback;

const positive = (value: number | undefined, fallback: number) =>
  typeof value === 'number' && value > 0 ? value : fallback;

const pad = (n: number) => String(n).padStart(3, '0');

/** Builds one Kindle-safe EPUB 3 book from an issue, streaming it to `options.output`. */
export async function buildEpub(issue: Issue, options: BuildOptions): Promise<BuildResult> {
  check(issue, options);
  const device = deviceProfile(options.device);
  const dateText = formatDate(issue.date);
  const title = oneLine(options.title ?? `${oneLine(issue.title) || 'News'} — ${dateText}`);
  const now = options.now ?? new Date();
  const warnings: string[] = [];
  const temp = `${options.output}.partial`;
  const zip = new ZipWriter(temp, now);
  const signal = options.signal;
  const aborted = () => {
    if (signal?.aborted)
      throw new EpubError('ABORTED', 'The build was aborted', { cause: signal.reason, path: options.output });
  };

  const jobs: Job[] = [];
  const sections: (SectionRef & { url?: string | undefined })[] = [];
  issue.sections.forEach((section, s) => {
    if (section.articles.length === 0) return;
    const sectionHref = `s${pad(s + 1)}.xhtml`;
    const sectionTitle = oneLine(section.title) || `Section ${s + 1}`;
    const ref: SectionRef & { url?: string | undefined } = {
      href: sectionHref,
      title: sectionTitle,
      articles: [],
      url: section.url,
    };
    section.articles.forEach((article, a) => {
      const id = `s${pad(s + 1)}-a${pad(a + 1)}`;
      jobs.push({ article, section: sections.length, href: `${id}.xhtml`, id, sectionHref, sectionTitle });
      ref.articles.push({ href: `${id}.xhtml`, title: oneLine(article.title) || 'Untitled' });
    });
    sections.push(ref);
  });
  const { book: language, own: ownLanguages } = languagesOf(
    issue,
    jobs.map((j) => j.article),
  );
  const index: PageRef = { href: 'index.xhtml', title: 'Index' };
  // Reading order: cover, index, then each section page followed by its articles.
  const order: string[] = ['index.xhtml'];
  for (const s of sections) order.push(s.href, ...s.articles.map((a) => a.href));
  const neighbour = (href: string, step: number) => order[order.indexOf(href) + step];

  // Converted images wait here (one file each, deleted once copied) on their way into the book.
  const tempDir = `${options.output}.images`;
  const images = new ImageStore({
    device,
    fetch: options.fetch ?? leanFetch,
    timeoutMs: options.imageTimeoutMs ?? 15_000,
    concurrency: count(options.imageConcurrency, 8),
    // Conversion is CPU-bound on libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says
    // otherwise): more than 4 at once only queues there while holding more decoded pixels.
    convertConcurrency: count(options.imageConvertConcurrency, Math.min(4, availableParallelism())),
    convertMemory: positive(options.imageConvertMemoryBytes, 24 * 1024 * 1024),
    maxBytes: options.imageMaxBytes ?? 15 * 1024 * 1024,
    maxPixels: options.imageMaxPixels ?? 50_000_000,
    budgetBytes: options.imageBudgetBytes ?? 30 * 1024 * 1024,
    signal,
    tempDir,
    write: (name, file) => zip.addFile(name, file),
  });
  const withImages = options.images !== false;
  const lookahead = count(options.lookahead, 8);
  const articleBytes: Record<string, number> = {};
  let imageCount = 0;

  const prepare = async (job: Job, n: number) => {
    const { article } = job;
    const sanitized = sanitizeHtml(article.html, { baseUrl: article.url, idPrefix: `c${n}-` });
    const results: ImageResult[] = withImages
      ? await Promise.all(sanitized.images.map((ref) => images.get(ref.url)))
      : [];
    const content = fillImages(sanitized.xhtml, (i) => {
      const ref = sanitized.images[i]!;
      const r = results[i];
      if (r?.ok) return `<img src="${r.href}" alt="${escAttr(ref.alt)}"/>`;
      if (r && !r.ok) warnings.push(`Image ${ref.url.slice(0, 200)} left out (${r.reason})`);
      return ref.alt ? escText(`[${ref.alt}]`) : '';
    });
    const own = ownLanguages[n] || language;
    const xhtml = articlePage({
      article,
      content,
      bookLanguage: language,
      language: sameBase(language, own) ? language : own,
      sectionTitle: job.sectionTitle,
      sectionHref: job.sectionHref,
      prev: neighbour(job.href, -1),
      next: neighbour(job.href, 1),
    });
    return { xhtml, results };
  };
  const resumeSharpCache = options.leaveSharpCache ? () => {} : pauseSharpCache();
  // After a build, done or failed: sharp's cache back, no conversion running, no temporary files.
  const finish = async () => {
    resumeSharpCache();
    await images.close();
    await rm(tempDir, { recursive: true, force: true }).catch(() => {});
  };
  try {
    await zip.add('mimetype', 'application/epub+zip', false);
    await zip.add('META-INF/container.xml', containerXml());
    // Top headlines: each feed's first story, then each feed's second, and so on.
    const firstOfSection = new Map<number, number>();
    for (const [n, j] of jobs.entries()) if (!firstOfSection.has(j.section)) firstOfSection.set(j.section, n);
    const headlines = jobs
      .map((j, n) => ({ j, rank: n - (firstOfSection.get(j.section) ?? 0) }))
      .sort((a, b) => a.rank - b.rank || a.j.section - b.j.section)
      .map(({ j }) => oneLine(j.article.title))
      .filter(Boolean)
      .slice(0, 8);
    await zip.add(
      'OEBPS/images/cover.jpg',
      await renderCover({ title: oneLine(issue.title) || 'News', date: dateText, headlines, device }),
      false,
    );
    await zip.add('OEBPS/images/masthead.png', await renderMasthead(oneLine(issue.title) || 'News'), false);
    await zip.add('OEBPS/style.css', STYLE);
    await zip.add(
      'OEBPS/cover.xhtml',
      page('Cover', language, `<div class="cover"><img src="images/cover.jpg" alt="${escAttr(title)}"/></div>`),
    );

    const pending: Promise<Awaited<ReturnType<typeof prepare>>>[] = [];
    for (let n = 0; n < jobs.length; n++) {
      aborted();
      for (let k = pending.length; k < Math.min(jobs.length, n + lookahead); k++) {
        const prepared = prepare(jobs[k]!, k);
        // A failure is reported when its turn comes; until then it must not count as unhandled.
        prepared.catch(() => {});
        pending.push(prepared);
      }
      const job = jobs[n]!;
      const { xhtml, results } = await pending[n]!;
      pending[n] = Promise.resolve({ xhtml: '', results: [] });
      let bytes = await zip.add(`OEBPS/${job.href}`, xhtml);
      for (const r of results) {
        if (r.ok) bytes += r.bytes;
        if (r.ok && r.first) options.onProgress?.({ type: 'image', url: r.url, ok: true, bytes: r.bytes });
      }
      imageCount += results.filter((r) => r.ok).length;
      articleBytes[job.article.id] = (articleBytes[job.article.id] ?? 0) + bytes;
      options.onProgress?.({ type: 'article', index: n, total: jobs.length, id: job.article.id });
    }
    aborted();
    for (const section of sections) {
      const items = section.articles
        .map((a, i) => {
          const art = jobs.find((j) => j.href === a.href)?.article;
          const summary = art?.summary
            ? `<p class="summary">${escText(oneLine(textOf(art.summary)).slice(0, 300))}</p>`
            : '';
          void i;
          return `<li><a href="${a.href}">${escText(a.title)}</a>${summary}</li>`;
        })
        .join('\n');
      const site = safeHttpUrl(section.url);
      const body = `<div class="n2k-nav"><a href="index.xhtml">Index</a></div>
<h1>${escText(section.title)}</h1>${site ? `\n<p class="source"><a href="${escAttr(site)}">${escText(site)}</a></p>` : ''}
<ol>
${items}
</ol>`;
      await zip.add(`OEBPS/${section.href}`, page(section.title, language, body));
    }
    const indexBody = `<div class="masthead"><img src="images/masthead.png" alt="${escAttr(oneLine(issue.title) || 'News')}"/></div>
<h1 class="masthead">${escText(title)}</h1>
<p class="date">${escText(dateText)}</p>
${sections.length ? `<ol>\n${sections.map((s) => `<li><a href="${s.href}">${escText(s.title)}</a> (${s.articles.length})</li>`).join('\n')}\n</ol>` : '<p>No articles in this issue.</p>'}`;
    await zip.add('OEBPS/index.xhtml', page(title, language, indexBody));

    const meta = {
      identifier:
        options.identifier ??
        identifierFor(
          title,
          jobs.map((j) => j.article.id),
        ),
      title,
      language,
      date: dateText,
      modified: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      creator: oneLine(issue.creator ?? '') || 'news2kindle',
      publisher: oneLine(issue.publisher ?? '') || 'news2kindle',
    };
    await zip.add('OEBPS/nav.xhtml', nav(meta, index, sections, 'cover.xhtml'));
    await zip.add('OEBPS/toc.ncx', ncx(meta, index, sections));
    const manifest: ManifestItem[] = [
      { id: 'ncx', href: 'toc.ncx', mediaType: 'application/x-dtbncx+xml' },
      { id: 'nav', href: 'nav.xhtml', mediaType: 'application/xhtml+xml', properties: 'nav' },
      { id: 'css', href: 'style.css', mediaType: 'text/css' },
      { id: 'cover-image', href: 'images/cover.jpg', mediaType: 'image/jpeg', properties: 'cover-image' },
      { id: 'masthead', href: 'images/masthead.png', mediaType: 'image/png' },
      { id: 'cover', href: 'cover.xhtml', mediaType: 'application/xhtml+xml' },
      ...order.map((href) => ({ id: href.replace('.xhtml', ''), href, mediaType: 'application/xhtml+xml' })),
      ...images.manifest.map((m, i) => ({ id: `img${i + 1}`, href: m.href, mediaType: m.mediaType })),
    ];
    const spine = ['cover', ...order.map((href) => href.replace('.xhtml', ''))];
    const guide = [
      { type: 'cover', title: 'Cover', href: 'cover.xhtml' },
      { type: 'toc', title: 'Index', href: 'index.xhtml' },
      { type: 'text', title: 'Start', href: order[1] ?? 'index.xhtml' },
    ];
    await zip.add('OEBPS/content.opf', opf(meta, manifest, spine, guide));
    await zip.close();
    await rename(temp, options.output);
  } catch (error) {
    zip.destroy();
    await unlink(temp).catch(() => {});
    await finish();
    if (error instanceof EpubError) throw error;
    if (signal?.aborted)
      throw new EpubError('ABORTED', 'The build was aborted', { cause: error, path: options.output });
    throw new EpubError('WRITE_FAILED', `Could not build ${options.output}: ${(error as Error).message}`, {
      cause: error,
      path: options.output,
    });
  }
  await finish();
  const bytes = (await stat(options.output)).size;
  warnings.push(...images.warnings);
  options.onProgress?.({ type: 'done', path: options.output, bytes });
  return {
    path: options.output,
    bytes,
    articles: jobs.length,
    images: imageCount,
    warnings: [...new Set(warnings)],
    articleIds: jobs.map((j) => j.article.id),
    articleBytes,
    language,
    title,
  };
}

function safeHttpUrl(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\//i.test(url)) return undefined;
  try {
    return strictUri(new URL(url).href);
  } catch {
    return undefined;
  }
}

function sameBase(a: string, b: string): boolean {
  return a.split('-')[0]?.toLowerCase() === b.split('-')[0]?.toLowerCase();
}

/** A stable urn:uuid from the title and the articles, so rebuilding the same issue gives the same id. */
function identifierFor(title: string, ids: string[]): string {
  const h = createHash('sha1').update(title).update('\0').update(ids.join('\0')).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((Number.parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
