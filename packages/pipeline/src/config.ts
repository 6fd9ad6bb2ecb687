import { dirname, join } from 'node:path';
import { DEVICES, type DeviceName } from '@news2kindle/epub-builder';
import { isEmailAddress } from '@news2kindle/kindle-mailer';
import * as z from 'zod';
import { parseDuration } from './duration.js';
import { ConfigError, type ConfigProblem } from './errors.js';

/** Where each setting came from (e.g. `{ since: 'N2K_SINCE' }`), attached by {@link configFromEnv}. */
export const CONFIG_SOURCES: unique symbol = Symbol.for('news2kindle.config.sources');
/** Problems found while reading the environment, reported together with the schema's. */
export const CONFIG_PROBLEMS: unique symbol = Symbol.for('news2kindle.config.problems');

/** Settings whose values never appear in a message. */
const SECRETS = new Set(['databaseUrl', 'smtp']);

const MB = 1024 * 1024;

const whole = (min: number, max: number, what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v),
    z.number({ error: what }).int({ error: what }).min(min, { error: what }).max(max, { error: what }),
  );

const flag = (what: string) =>
  z.preprocess(
    (v) => {
      if (typeof v !== 'string') return v;
      const s = v.trim().toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(s)) return true;
      if (['false', '0', 'no', 'off'].includes(s)) return false;
      return v;
    },
    z.boolean({ error: what }),
  );

const list = (v: unknown) => (typeof v === 'string' ? v.split(/[\s,;]+/).filter(Boolean) : v);

const email = z.string().trim().refine(isEmailAddress, { error: 'a bare e-mail address such as name_123@kindle.com' });

const feedSource = z.union(
  [
    z.string().trim().min(1),
    z.object({
      url: z.string().trim().min(1),
      title: z.string().optional(),
      fullText: z.enum(['auto', 'always', 'never']).optional(),
      maxItems: z.number().int().positive().optional(),
      include: z.array(z.string()).optional(),
      exclude: z.array(z.string()).optional(),
      line: z.number().optional(),
    }),
  ],
  { error: 'a feed URL or { url, title?, fullText?, maxItems?, include?, exclude? }' },
);

const smtp = z.looseObject(
  {
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).optional(),
    secure: z.boolean().optional(),
    auth: z.object({ user: z.string().min(1), pass: z.string().min(1) }).optional(),
  },
  { error: 'SMTP options { host, port?, secure?, auth?: { user, pass } }' },
);

const schema = z.object({
  title: z.string({ error: 'a non-empty title' }).trim().min(1, { error: 'a non-empty title' }).default('News'),
  language: z
    .string()
    .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, { error: 'a BCP 47 language tag such as en, de or zh-Hans' })
    .optional(),
  feeds: z.union([z.string().trim().min(1), z.array(feedSource).min(1)], {
    error: 'the path of a feeds.txt/OPML file, or a non-empty list of feed URLs',
  }),
  feedsBaseDir: z.string().optional(),
  dataDir: z.string().min(1).optional(),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, { error: 'a postgres:// or postgresql:// URL' })
    .optional(),
  outbox: z.string().min(1).default('outbox'),
  to: z.preprocess(list, z.array(email).max(15, { error: 'at most 15 Kindle addresses' })).default([]),
  from: email.optional(),
  smtp: smtp.optional(),
  format: z.enum(['epub', 'azw3', 'mobi'], { error: 'epub, azw3 or mobi' }).default('epub'),
  converters: z.preprocess(list, z.array(z.string())).optional(),
  device: z
    .enum(Object.keys(DEVICES) as [DeviceName, ...DeviceName[]], {
      error: `one of ${Object.keys(DEVICES).join(', ')}`,
    })
    .default('paperwhite'),
  since: z
    .union([z.string(), z.number()])
    .transform((v, ctx) => {
      const ms = parseDuration(v);
      if (ms === undefined) {
        ctx.addIssue({ code: 'custom', message: 'a duration such as 24h, 90m, 2d or 1w (a bare number is hours)' });
        return z.NEVER;
      }
      return ms;
    })
    .default(24 * 3_600_000),
  maxPerFeed: whole(1, 1000, 'a whole number from 1 to 1000').optional(),
  fullText: z.enum(['auto', 'always', 'never'], { error: 'auto, always or never' }).default('auto'),
  images: flag('true or false').default(true),
  allowEmpty: flag('true or false').default(false),
  dryRun: flag('true or false').default(false),
  maxBytes: whole(MB, 50 * MB, 'a message size in bytes from 1 MB to 50 MB').default(50 * MB),
  retentionDays: whole(1, 3650, 'a whole number of days from 1 to 3650').default(60),
  lockWaitMs: whole(0, 3_600_000, 'milliseconds from 0 to 3600000').default(10_000),
  concurrency: whole(1, 64, 'a whole number from 1 to 64').default(8),
  perHost: whole(1, 16, 'a whole number from 1 to 16').default(2),
  timeoutMs: whole(1_000, 300_000, 'milliseconds from 1000 to 300000').default(15_000),
  feedMaxBytes: whole(1024, 100 * MB, 'bytes from 1 KB to 100 MB').default(10 * MB),
  /** Retries of a send that failed transiently (server down, 4xx reply). */
  sendRetries: whole(0, 10, 'a whole number from 0 to 10').default(3),
  /** First wait before a send retry, doubled on each retry (tests of a down server set it low). */
  sendBackoffMs: whole(0, 600_000, 'milliseconds from 0 to 600000').default(2_000),
  convertTimeoutMs: whole(1_000, 3_600_000, 'milliseconds from 1000 to 3600000').default(300_000),
});

/** What an app passes in: every field as a value or its string form (from env or flags). */
export type ConfigInput = z.input<typeof schema> & {
  [CONFIG_SOURCES]?: Record<string, string>;
  [CONFIG_PROBLEMS]?: ConfigProblem[];
};

/** A validated configuration with every default filled in. `since` is the window in ms. */
export type Config = z.output<typeof schema> & {
  /** Where the file store lives: `dataDir`, else `.news2kindle` beside the feeds file. */
  dataDir?: string;
};

/**
 * Validates a configuration and fills in defaults. Throws one {@link ConfigError} listing
 * every problem (setting, where it came from, what is expected); secrets are never echoed.
 */
export function parseConfig(input: unknown): Config {
  const given = (input ?? {}) as ConfigInput;
  const sources = given[CONFIG_SOURCES] ?? {};
  const problems: ConfigProblem[] = [...(given[CONFIG_PROBLEMS] ?? [])];
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    for (const issue of result.error.issues) {
      const setting = issue.path.map(String).join('.') || '(config)';
      const top = String(issue.path[0] ?? '');
      const problem: ConfigProblem = { setting, expected: expectation(issue) };
      if (sources[top]) problem.source = sources[top];
      const value = valueAt(input, issue.path);
      if (!SECRETS.has(top) && value !== undefined) problem.received = show(value);
      problems.push(problem);
    }
  }
  if (result.success) problems.push(...crossChecks(result.data, sources));
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  const config: Config = { ...result.data };
  if (!config.dataDir && typeof config.feeds === 'string') {
    config.dataDir = join(dirname(config.feeds), '.news2kindle');
  }
  return config;
}

function crossChecks(config: z.output<typeof schema>, sources: Record<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = (setting: string, expected: string): ConfigProblem =>
    sources[setting] ? { setting, source: sources[setting], expected } : { setting, expected };
  if (config.smtp && config.to.length === 0) {
    problems.push(at('to', 'at least one Send-to-Kindle address when SMTP is configured (KINDLE_EMAIL)'));
  }
  if (config.smtp && !config.from) {
    problems.push(at('from', "the sender address on Amazon's approved list when SMTP is configured (EMAIL_FROM)"));
  }
  const retentionMs = config.retentionDays * 86_400_000;
  if (retentionMs <= config.since) {
    problems.push(at('retentionDays', 'a retention longer than the selection window (`since`)'));
  }
  return problems;
}

function expectation(issue: z.core.$ZodIssue): string {
  return issue.message.replace(/^Invalid input: /, '');
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function show(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
