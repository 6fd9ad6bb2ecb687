import { basename, extname } from 'node:path';
import { type BookFile, fileStem, MIME_TYPES } from './book.js';

export interface SectionCount {
  title: string;
  articles: number;
}

/** Title shown in the subject: the book's title, else its file name without extension. */
export function bookTitle(book: BookFile): string {
  return book.title?.trim() || basename(book.filename ?? book.path, extname(book.filename ?? book.path));
}

/** Attachment name for one volume; volumes without their own name get `-part-N-of-M`. */
export function attachmentName(book: BookFile, volume: number, volumes: number): string {
  if (book.filename) return book.filename;
  const stem = book.title ? fileStem(book.title) : basename(book.path, extname(book.path));
  const part = volumes > 1 ? `-part-${volume}-of-${volumes}` : '';
  return `${stem}${part}.${book.format}`;
}

export function attachmentType(book: BookFile): string {
  return MIME_TYPES[book.format];
}

/** Subject line; `(2/3)` is added for volumes so the reader sees they belong together. */
export function subjectFor(base: string, volume: number, volumes: number): string {
  return volumes > 1 ? `${base} (${volume}/${volumes})` : base;
}

/**
 * A short plain-text body. Never empty: empty bodies are reported to get documents rejected.
 */
export function bodyFor(options: {
  title: string;
  filename: string;
  bytes: number;
  volume: number;
  volumes: number;
  sections?: readonly SectionCount[] | undefined;
  text?: string | undefined;
}): string {
  if (options.text?.trim()) return options.text;
  const lines = [options.title, ''];
  if (options.volumes > 1) lines.push(`Volume ${options.volume} of ${options.volumes}.`, '');
  const sections = options.sections ?? [];
  if (sections.length > 0) {
    const total = sections.reduce((sum, s) => sum + s.articles, 0);
    lines.push(`${total} ${plural(total, 'article')} in ${sections.length} ${plural(sections.length, 'section')}:`);
    for (const s of sections) lines.push(`- ${s.title}: ${s.articles} ${plural(s.articles, 'article')}`);
    lines.push('');
  }
  lines.push(`Attached: ${options.filename} (${formatBytes(options.bytes)}).`);
  return `${lines.join('\n')}\n`;
}

function plural(n: number, word: string): string {
  return n === 1 ? word : `${word}s`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
