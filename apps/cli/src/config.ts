import { resolve } from 'node:path';
import { type Config, type ConfigInput, configFromEnv, parseConfig } from '@news2kindle/pipeline';
import type { Selection } from './args.js';
import { EXAMPLES_FEEDS, type FeedsFile } from './feeds-file.js';
import type { Io } from './io.js';

/** Flags as the pipeline's settings, with the flag's name for messages. */
const FLAGS: Array<[keyof Selection | 'dryRun' | 'outbox' | 'dataDir', string, string]> = [
  ['since', 'since', '--since'],
  ['maxPerFeed', 'maxPerFeed', '--max-per-feed'],
  ['fullText', 'fullText', '--full-text'],
  ['device', 'device', '--device'],
  ['format', 'format', '--format'],
  ['images', 'images', '--no-images'],
  ['dryRun', 'dryRun', '--dry-run'],
  ['outbox', 'outbox', '--outbox'],
  ['dataDir', 'dataDir', '--data-dir'],
];

/** The oldest article date in the bundled examples (examples/feeds/*): 2026-11-25. */
const EXAMPLES_OLDEST = Date.UTC(2026, 10, 25);

export interface CliSettings extends Selection {
  dryRun?: boolean;
  outbox?: string;
  dataDir?: string;
}

export interface LoadedConfig {
  config: Config;
  /** Set when the selection window was widened for the bundled (dated) examples. */
  examplesWindow?: string;
}

/**
 * Environment first, flags on top, validated once by the pipeline (every problem at once).
 * Relative folders resolve against the working directory, as a user typing them expects.
 */
export function loadConfig(io: Io, feeds: FeedsFile, settings: CliSettings, now = Date.now()): LoadedConfig {
  const overrides: Partial<ConfigInput> = { feeds: feeds.path };
  const flagOf: Record<string, string> = {};
  for (const [key, setting, flag] of FLAGS) {
    const value = settings[key];
    if (value === undefined || (key === 'dryRun' && value === false)) continue;
    (overrides as Record<string, unknown>)[setting] = value;
    flagOf[setting] = flag;
  }
  const outbox = settings.outbox ?? io.env.N2K_OUTBOX?.trim() ?? 'outbox';
  overrides.outbox = resolve(io.cwd, outbox || 'outbox');
  const dataDir = settings.dataDir ?? io.env.N2K_DATA_DIR?.trim();
  if (dataDir) overrides.dataDir = resolve(io.cwd, dataDir);

  // The examples are files with fixed dates: widen the window so they are news on any day,
  // unless the user chose a window. Retention must stay longer than the window.
  let examplesWindow: string | undefined;
  const chosenWindow = settings.since ?? io.env.N2K_SINCE?.trim() ?? io.env.UPDATE_PERIOD?.trim();
  if (feeds.path === EXAMPLES_FEEDS && !chosenWindow) {
    const days = Math.max(1, Math.ceil((now - EXAMPLES_OLDEST) / 86_400_000) + 7);
    examplesWindow = `${days}d`;
    overrides.since = examplesWindow;
    overrides.retentionDays = Math.max(60, days + 30);
  }
  // The examples' newspaper is English with articles in three other languages; left to
  // detection, the Arabic and Chinese characters outvote the English words.
  if (feeds.path === EXAMPLES_FEEDS && !io.env.N2K_LANGUAGE?.trim()) overrides.language = 'en';

  const input = configFromEnv(io.env, overrides);
  try {
    return { config: parseConfig(input), ...(examplesWindow ? { examplesWindow } : {}) };
  } catch (error) {
    // Name the flag the user typed, not the pipeline's setting.
    const problems = (error as { problems?: Array<{ setting: string; source?: string }> }).problems;
    for (const problem of problems ?? []) {
      const top = problem.setting.split('.')[0] ?? '';
      if (!problem.source && flagOf[top]) problem.source = flagOf[top];
    }
    throw error;
  }
}

/** Mail settings are not `build`'s business: a half-set SMTP configuration must not stop a book. */
export function withoutMail(env: Io['env']): Io['env'] {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !/^(SMTP_|EMAIL_|MAILGUN_SMTP_|SENDGRID_API_KEY$|KINDLE_EMAIL$)/.test(name)),
  );
}
