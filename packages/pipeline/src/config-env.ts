import { smtpOptionsFromEnv } from '@news2kindle/kindle-mailer';
import { CONFIG_PROBLEMS, CONFIG_SOURCES, type ConfigInput } from './config.js';
import type { ConfigProblem } from './errors.js';
import { smtpProblem } from './smtp-problems.js';

type Env = Record<string, string | undefined>;

/**
 * Environment variables and the setting each one fills. The original script's names come last
 * and lose to ours when both are set.
 */
export const ENV_VARIABLES: ReadonlyArray<{ name: string; setting: string; description: string }> = [
  { name: 'N2K_FEEDS', setting: 'feeds', description: 'path of the feeds.txt or OPML file' },
  {
    name: 'N2K_DATA_DIR',
    setting: 'dataDir',
    description: 'folder of the file store (default `.news2kindle` beside the feeds file)',
  },
  {
    name: 'N2K_OUTBOX',
    setting: 'outbox',
    description: 'folder for `.eml` files when no SMTP server is configured (default `outbox`)',
  },
  { name: 'N2K_FORMAT', setting: 'format', description: '`epub` (default), `azw3` or `mobi`' },
  { name: 'N2K_DEVICE', setting: 'device', description: 'Kindle model images are scaled for (default `paperwhite`)' },
  {
    name: 'N2K_SINCE',
    setting: 'since',
    description: 'window for feeds never delivered before, e.g. `24h` (default), `2d`',
  },
  { name: 'N2K_MAX_PER_FEED', setting: 'maxPerFeed', description: 'at most this many new articles per feed' },
  {
    name: 'N2K_FULL_TEXT',
    setting: 'fullText',
    description: '`auto` (default), `always` or `never`: fetch article pages',
  },
  { name: 'N2K_IMAGES', setting: 'images', description: '`true` (default) or `false`' },
  { name: 'N2K_TITLE', setting: 'title', description: 'newspaper title (default `News`)' },
  { name: 'N2K_LANGUAGE', setting: 'language', description: 'book language (default: detected)' },
  {
    name: 'N2K_ALLOW_EMPTY',
    setting: 'allowEmpty',
    description: 'send a book even when nothing is new (default `false`)',
  },
  { name: 'KINDLE_EMAIL', setting: 'to', description: 'Send-to-Kindle address(es), comma-separated' },
  { name: 'DATABASE_URL', setting: 'databaseUrl', description: 'PostgreSQL URL: selects the Postgres store (Heroku)' },
  {
    name: 'SMTP_URL, SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_SECURE, SMTP_FROM',
    setting: 'smtp',
    description: 'SMTP server (see @news2kindle/kindle-mailer); none: the outbox',
  },
  {
    name: 'EMAIL_SMTP, EMAIL_SMTP_PORT, EMAIL_USER, EMAIL_PASSWORD',
    setting: 'smtp',
    description: "the original script's SMTP settings",
  },
  { name: 'EMAIL_FROM', setting: 'from', description: "sender on Amazon's approved list (SMTP_FROM wins)" },
  {
    name: 'UPDATE_PERIOD',
    setting: 'since',
    description: "the original script's hours between runs: the default window when N2K_SINCE is unset",
  },
];

const DIRECT: Array<[string, keyof ConfigInput & string]> = [
  ['N2K_FEEDS', 'feeds'],
  ['N2K_DATA_DIR', 'dataDir'],
  ['N2K_OUTBOX', 'outbox'],
  ['N2K_FORMAT', 'format'],
  ['N2K_DEVICE', 'device'],
  ['N2K_MAX_PER_FEED', 'maxPerFeed'],
  ['N2K_FULL_TEXT', 'fullText'],
  ['N2K_IMAGES', 'images'],
  ['N2K_TITLE', 'title'],
  ['N2K_LANGUAGE', 'language'],
  ['N2K_ALLOW_EMPTY', 'allowEmpty'],
  ['KINDLE_EMAIL', 'to'],
  ['DATABASE_URL', 'databaseUrl'],
];

/**
 * Builds a configuration input from environment variables (ours and the original script's),
 * then applies `overrides` (e.g. command-line flags) on top. Reads only the `env` given, never
 * `process.env`. Validate the result with `parseConfig`, which names each variable at fault.
 */
export function configFromEnv(env: Env, overrides: Partial<ConfigInput> = {}): ConfigInput {
  const input: Record<string, unknown> = {};
  const sources: Record<string, string> = {};
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  for (const [name, setting] of DIRECT) {
    const v = value(name);
    if (v === undefined) continue;
    input[setting] = v;
    sources[setting] = name;
  }
  const since = value('N2K_SINCE') ?? value('UPDATE_PERIOD');
  if (since !== undefined) {
    input.since = since;
    sources.since = value('N2K_SINCE') ? 'N2K_SINCE' : 'UPDATE_PERIOD';
  }

  const problems: ConfigProblem[] = [];
  const mail = smtpOptionsFromEnv(env);
  if (mail.options) {
    input.smtp = mail.options;
    sources.smtp = mail.source ?? 'SMTP_*';
  }
  if (mail.from) {
    input.from = mail.from;
    sources.from = value('SMTP_FROM') ? 'SMTP_FROM' : 'EMAIL_FROM';
  }
  // The mailer's messages name the variable first and never hold a password.
  for (const message of mail.problems) problems.push(smtpProblem(message));

  for (const [key, v] of Object.entries(overrides)) {
    if (v === undefined) continue;
    input[key] = v;
    delete sources[key];
  }
  const result = input as ConfigInput;
  result[CONFIG_SOURCES] = sources;
  if (problems.length > 0) result[CONFIG_PROBLEMS] = problems;
  return result;
}
