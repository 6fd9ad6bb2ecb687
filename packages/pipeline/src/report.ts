import type { Transport } from '@news2kindle/kindle-mailer';
import type { Converter } from '@news2kindle/mobi-converter';
import type { FeedStatus, RunOutcome, StateStore } from './types.js';

/** The stage a delivery is in, in order. */
export type Stage = 'lock' | 'sources' | 'fetch' | 'select' | 'build' | 'convert' | 'send' | 'record' | 'done';

/**
 * A snapshot for a live status line: every field is the running total so far, so a CLI can
 * redraw one line from the latest event alone.
 */
export interface ProgressEvent {
  stage: Stage;
  feedsDone: number;
  feedsTotal: number;
  /** Articles fetched (during fetch), selected (select), or put in the book (build onwards). */
  articles: number;
  /** Images put in the book so far. */
  images: number;
  /** Image bytes while building, then book bytes (build, convert), then bytes sent. */
  bytes: number;
  /** Current and total volume, while converting and sending. */
  volume?: number;
  volumes?: number;
}

/** A log line: what happened, with the facts as fields. Secrets never appear here. */
export interface LogEvent {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  [fact: string]: unknown;
}

export interface FeedReport {
  url: string;
  title: string;
  status: FeedStatus;
  /** Items the feed had. */
  fetched: number;
  /** Articles selected for this run (in the window, under the cap, filtered, not delivered before). */
  new: number;
  /** Of those, how many a server accepted (0 in a dry run). */
  delivered: number;
  encoding?: string;
  ms: number;
  error?: { code: string; message: string };
}

export interface VolumeReport {
  path: string;
  bytes: number;
  articles: number;
  /** Whether a server (or the outbox) accepted the message carrying it. */
  accepted: boolean;
  messageId?: string;
}

/** What one run did. `outcome` tells the app which exit code to use. */
export interface DeliveryReport {
  runId: string;
  outcome: RunOutcome;
  startedAt: Date;
  finishedAt: Date;
  feeds: FeedReport[];
  /** Articles put in the book. */
  articles: number;
  /** Articles recorded as delivered. */
  delivered: number;
  volumes: VolumeReport[];
  /** Recipients that accepted every volume sent. */
  recipients: string[];
  rejected: string[];
  /** Bytes of all volumes. */
  bytes: number;
  /** Transport used: `smtp`, `outbox` or a custom one's name; absent when nothing was sent. */
  transport?: string;
  /** Files written to the outbox folder. */
  outbox?: string[];
  warnings: string[];
  timings: { lockMs: number; fetchMs: number; buildMs: number; convertMs: number; sendMs: number; totalMs: number };
  error?: { code: string; message: string };
}

export interface DeliverOptions {
  /** Where delivered ids, feed validators and the run history are kept. */
  store: StateStore;
  log?: (event: LogEvent) => void;
  /** Aborts the run; nothing is recorded unless a server already accepted a volume. */
  signal?: AbortSignal;
  progress?: (event: ProgressEvent) => void;
  /** The run's clock (default: now). */
  now?: Date;
  /** fetch used for feeds, pages and images (default: global fetch). */
  fetch?: typeof fetch;
  /** Overrides the transport chosen from the config (SMTP when configured, else the outbox). */
  transport?: Transport;
  /** Overrides the converter picked for `config.format`. */
  converter?: Converter;
  /** Parent folder of the run's temporary folder (default: the OS temp folder). */
  tempDir?: string;
  /** Copy the final book files here (e.g. to keep a dry run's books); default: nowhere. */
  keepDir?: string;
}
