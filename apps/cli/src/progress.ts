import type { ProgressEvent } from '@news2kindle/pipeline';
import type { Output } from './io.js';

/** The pipeline's running totals (its ProgressEvent), plus the state before its first event. */
export type Snapshot = Omit<ProgressEvent, 'stage'> & { stage: ProgressEvent['stage'] | 'starting' };

/** A log line from a library: a message and facts. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

/** Human-readable byte counts: 980 B, 12.3 KB, 4.1 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} KB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const STAGES: Record<string, string> = {
  lock: 'waiting for the lock',
  sources: 'reading the feeds file',
  fetch: 'fetching feeds',
  select: 'selecting new articles',
  build: 'building the book',
  convert: 'converting',
  send: 'sending',
  record: 'recording',
  done: 'done',
};

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Shows a run's progress: on a terminal one status line redrawn in place (at most every 80 ms),
 * with warnings printed above it; elsewhere one plain line per event so logs (cron, Heroku) read
 * top to bottom. `quiet` (--json) keeps only warnings and errors, on stderr.
 */
export class Progress {
  state: Snapshot = { stage: 'starting', feedsDone: 0, feedsTotal: 0, articles: 0, images: 0, bytes: 0 };
  private drawn = false;
  private lastDraw = 0;
  private frame = 0;

  constructor(
    private readonly output: Output,
    private readonly quiet = false,
    private readonly debug = false,
  ) {}

  /** A new snapshot from the pipeline. */
  update(snapshot: Snapshot): void {
    const previous = this.state;
    this.state = { ...snapshot };
    const staged = snapshot.stage !== previous.stage;
    if (!this.output.live && !this.quiet) this.logChange(previous, staged);
    this.draw(staged || snapshot.feedsDone !== previous.feedsDone);
  }

  /** One line per meaningful step for logs; bookkeeping stages stay quiet. */
  private logChange(previous: Snapshot, staged: boolean): void {
    const s = this.state;
    if (s.stage === 'fetch' && s.feedsDone > previous.feedsDone) {
      this.output.err(`feeds ${s.feedsDone}/${s.feedsTotal} fetched (${s.articles} items)\n`);
      return;
    }
    if (!staged) return;
    if (previous.stage === 'build') {
      this.output.err(
        `built: ${previous.articles} articles, ${previous.images} images, ${formatBytes(s.bytes || previous.bytes)}\n`,
      );
    }
    if (s.stage === 'fetch') this.output.err(`fetching ${s.feedsTotal} feeds\n`);
    else if (s.stage === 'select') this.output.err(`${s.articles} new articles\n`);
    else if (s.stage === 'build' || s.stage === 'send') this.output.err(`${this.describeStage()}\n`);
  }

  /** A library's log line: warnings and errors always, the rest when not on a terminal. */
  log(event: LogLine): void {
    const s = this.output.style;
    if (event.level === 'debug' && !this.debug) return;
    if (event.level === 'warn' || event.level === 'error') {
      this.note(`${event.level === 'warn' ? s.yellow('warning:') : s.red('error:')} ${event.message}`);
    } else if (!this.quiet && !this.output.live) {
      this.output.err(`${event.message}\n`);
    }
  }

  /** A line printed in every mode: above the live line on a terminal, in order in a log. */
  note(text: string): void {
    this.clear();
    this.output.err(`${text}\n`);
    this.draw(true);
  }

  /** Removes the live line so the summary starts on a clean line. */
  clear(): void {
    if (this.drawn) this.output.err('\r\x1b[2K');
    this.drawn = false;
  }

  /** The live line's text. */
  line(): string {
    const s = this.state;
    const parts = [
      `feeds ${s.feedsDone}/${s.feedsTotal}`,
      `articles ${s.articles}`,
      `images ${s.images}`,
      formatBytes(s.bytes),
    ];
    return `${SPINNER[this.frame % SPINNER.length]} ${this.describeStage()} · ${parts.join(' · ')}`;
  }

  private describeStage(): string {
    const s = this.state;
    const name = STAGES[s.stage] ?? s.stage;
    return s.volumes && s.volumes > 1 ? `${name} (volume ${s.volume ?? 1} of ${s.volumes})` : name;
  }

  private draw(force = false): void {
    if (!this.output.live || this.quiet) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 80) return;
    this.lastDraw = now;
    this.frame++;
    const width = Math.max(20, this.output.columns - 1);
    const text = this.line();
    this.output.err(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.drawn = true;
  }
}
