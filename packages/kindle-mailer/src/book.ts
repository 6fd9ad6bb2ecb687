/** A book file ready to mail. */
export interface BookFile {
  path: string;
  /** Attachment name; defaults to the title as a file name (`News-2026-11-29.epub`), else the file's name. */
  filename?: string;
  format: BookFormat;
  /** Issue title, e.g. `News 2026-11-29`; used for the subject and the attachment name. */
  title?: string;
}

export type BookFormat = 'epub' | 'mobi' | 'azw3' | 'pdf';

/** MIME types Amazon recognises; `application/octet-stream` is reported to get EPUBs rejected. */
export const MIME_TYPES: Readonly<Record<BookFormat, string>> = {
  epub: 'application/epub+zip',
  mobi: 'application/x-mobipocket-ebook',
  azw3: 'application/vnd.amazon.ebook',
  pdf: 'application/pdf',
};

/** Turns a title into a safe file name stem: `News 2026-11-29` → `News-2026-11-29`. */
export function fileStem(title: string): string {
  const stem = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return stem.slice(0, 100) || 'book';
}
