import { isRtl } from './language.js';
import { strictUri } from './sanitize.js';
import { navLinks, page } from './templates.js';
import { escAttr, escText, isLanguageTag, oneLine } from './xml.js';
import type { IssueArticle } from './types.js';

/** YYYY-MM-DD HH:MM in UTC, or the date alone. */
export function formatDate(date: Date, withTime = false): string {
  const iso = date.toISOString();
  return withTime ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : iso.slice(0, 10);
}

export interface ArticlePageInput {
  article: IssueArticle;
  content: string;
  bookLanguage: string;
  language: string;
  sectionTitle: string;
  sectionHref: string;
  prev?: string | undefined;
  next?: string | undefined;
}

/** One article page: navigation, headline, feed/author/date line, original link, content. */
export function articlePage(input: ArticlePageInput): string {
  const { article, language } = input;
  const title = oneLine(article.title) || 'Untitled';
  const meta = [
    input.sectionTitle,
    article.author && oneLine(article.author),
    validDate(article.published) && formatDate(article.published!, true),
  ]
    .filter(Boolean)
    .map((s) => escText(String(s)))
    .join(' · ');
  let source = '';
  if (article.url && /^https?:\/\//i.test(article.url)) {
    try {
      source = `<p class="source"><a href="${escAttr(strictUri(new URL(article.url).href))}">Original article</a></p>`;
    } catch {}
  }
  const langAttr =
    language !== input.bookLanguage && isLanguageTag(language) ? ` xml:lang="${language}" lang="${language}"` : '';
  // Direction is written only where it differs from the book's (set on <html> for RTL books).
  const dir = article.dir ?? (isRtl(language) ? 'rtl' : 'ltr');
  const dirAttr = dir !== (isRtl(input.bookLanguage) ? 'rtl' : 'ltr') ? ` dir="${dir}"` : '';
  const links = navLinks({ prev: input.prev, section: input.sectionHref, next: input.next });
  const body = `${links}
<div class="article"${langAttr}${dirAttr}>
<h1>${escText(title)}</h1>
<p class="meta">${meta}</p>
${source}
<div class="content">
${input.content}
</div>
</div>
${links}`;
  return page(title, input.bookLanguage, body);
}

function validDate(date: Date | undefined): boolean {
  return date instanceof Date && !Number.isNaN(date.getTime());
}
