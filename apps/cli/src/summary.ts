import { basename, extname } from 'node:path';
import { EXIT } from './exit-codes.js';
import type { Styles } from './io.js';
import { formatBytes, formatMs } from './progress.js';

/** The parts of the pipeline's DeliveryReport the summary shows. */
export interface ReportView {
  outcome: 'delivered' | 'nothing-new' | 'failed' | 'dry-run';
  feeds: Array<{
    url: string;
    title: string;
    status: string;
    fetched: number;
    new: number;
    encoding?: string;
    error?: { code: string; message: string };
  }>;
  articles: number;
  volumes: Array<{ path: string; bytes: number; articles: number }>;
  recipients: string[];
  bytes: number;
  transport?: string;
  outbox?: string[];
  warnings?: string[];
  timings: { totalMs: number; fetchMs?: number; buildMs?: number; sendMs?: number };
  error?: { code: string; message: string };
}

/**
 * 0 delivered or nothing new, 1 failed, 3 delivered (or built) while some feeds failed. When
 * every feed failed, "nothing new" would hide an outage (no network, a proxy), so that is 1.
 */
export function exitCodeFor(report: Pick<ReportView, 'outcome' | 'feeds'>): number {
  if (report.outcome === 'failed') return EXIT.failed;
  if (allFailed(report)) return EXIT.failed;
  const someFailed = report.feeds.some((f) => f.status === 'failed');
  if (someFailed && (report.outcome === 'delivered' || report.outcome === 'dry-run')) return EXIT.partial;
  return EXIT.ok;
}

export const allFailed = (report: Pick<ReportView, 'feeds'>) =>
  report.feeds.length > 0 && report.feeds.every((f) => f.status === 'failed');

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Terminal columns a string takes: East Asian wide characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    const wide =
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x20000 && code <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

const pad = (text: string, width: number) => text + ' '.repeat(Math.max(0, width - displayWidth(text)));

/** The feed table: one line per feed, failures with their reason. */
export function renderFeeds(report: Pick<ReportView, 'feeds'>, s: Styles): string {
  const width = Math.min(40, Math.max(...report.feeds.map((f) => displayWidth(f.title || f.url)), 10));
  return report.feeds
    .map((f) => {
      const name = pad(f.title || f.url, width);
      if (f.status === 'failed') return `  ${s.red('✗')} ${name}  ${f.error?.message ?? 'failed'}`;
      const detail =
        f.status === 'not-modified' ? 'not modified since the last run' : `${plural(f.fetched, 'item')}, ${f.new} new`;
      return `  ${s.green('✓')} ${name}  ${detail}`;
    })
    .join('\n');
}

/** The outbox files worth pointing at: the books and the .eml messages. */
export function outboxFiles(report: Pick<ReportView, 'outbox'>): { books: string[]; messages: string[] } {
  const files = report.outbox ?? [];
  return {
    messages: files.filter((f) => extname(f) === '.eml'),
    books: files.filter((f) => ['.epub', '.azw3', '.mobi', '.kfx'].includes(extname(f))),
  };
}

/** The human summary printed after `send`. */
export function renderSendSummary(report: ReportView, s: Styles): string {
  const lines: string[] = [];
  const feedsOk = report.feeds.filter((f) => f.status !== 'failed').length;
  const failed = report.feeds.length - feedsOk;
  const books = report.volumes.length;
  const size = formatBytes(report.bytes);
  switch (report.outcome) {
    case 'delivered': {
      const what = `${plural(report.articles, 'article')} from ${plural(feedsOk, 'feed')} (${plural(books, 'book')}, ${size})`;
      if (report.transport === 'outbox') {
        const { books: bookFiles, messages } = outboxFiles(report);
        lines.push(s.green(`Delivered ${what} to the outbox folder.`));
        lines.push('No SMTP server is configured, so nothing was mailed; the message was written as a file instead:');
        for (const file of bookFiles) lines.push(`  book:    ${file}`);
        for (const file of messages) lines.push(`  message: ${file}`);
        lines.push(
          'To mail your Kindle, set SMTP_URL (or EMAIL_SMTP, EMAIL_USER, EMAIL_PASSWORD), EMAIL_FROM and KINDLE_EMAIL.',
        );
      } else {
        lines.push(s.green(`Delivered ${what} to ${report.recipients.join(', ') || 'nobody'}.`));
      }
      break;
    }
    case 'nothing-new':
      lines.push(
        allFailed(report)
          ? s.red(`Every feed failed (${report.feeds.length}): nothing could be fetched, so nothing was sent.`)
          : `Nothing new since the last delivery: ${plural(report.feeds.length, 'feed')} checked, no new articles. Nothing was sent.`,
      );
      break;
    case 'dry-run': {
      lines.push(
        `Dry run: a book of ${plural(report.articles, 'article')} (${plural(books, 'volume')}, ${size}) was built; nothing was sent or recorded.`,
      );
      for (const v of report.volumes)
        lines.push(`  ${basename(v.path)}: ${plural(v.articles, 'article')}, ${formatBytes(v.bytes)}`);
      break;
    }
    case 'failed':
      lines.push(
        s.red(`Delivery failed: ${report.error?.message ?? 'unknown error'}`),
        'Nothing was recorded: the next run sends these articles again.',
      );
      break;
  }
  if (report.feeds.length > 0) lines.push('', 'Feeds:', renderFeeds(report, s));
  if (failed > 0 && report.outcome !== 'failed') {
    lines.push(`${plural(failed, 'feed')} failed: their articles come with a later run once the feed works again.`);
  }
  const t = report.timings;
  const parts = [
    t.fetchMs ? `fetch ${formatMs(t.fetchMs)}` : '',
    t.buildMs ? `build ${formatMs(t.buildMs)}` : '',
    t.sendMs ? `send ${formatMs(t.sendMs)}` : '',
  ].filter(Boolean);
  lines.push('', s.dim(`Took ${formatMs(t.totalMs)}${parts.length ? ` (${parts.join(', ')})` : ''}.`));
  return `${lines.join('\n')}\n`;
}

/** JSON for --json: dates as ISO strings, stable key order from the report itself. */
export function toJson(report: unknown): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}
