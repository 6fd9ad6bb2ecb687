import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { readFeedList } from '@news2kindle/feed-fetcher';
import { doctor as deploymentDoctor, dynoInfo } from '@news2kindle/heroku-runner';
import { smtpOptionsFromEnv } from '@news2kindle/kindle-mailer';
import { createSmtpTransport } from '@news2kindle/kindle-mailer/smtp';
import { createCalibreConverter } from '@news2kindle/mobi-converter/calibre';
import { createKindlegenConverter } from '@news2kindle/mobi-converter/kindlegen';
import type { Config } from '@news2kindle/pipeline';
import { loadConfig } from '../config.js';
import { describeError } from '../errors.js';
import { EXIT } from '../exit-codes.js';
import { type FeedsFile, locateFeeds, readFeedsText } from '../feeds-file.js';
import type { Io, Output } from '../io.js';
import { dynoQuotaMb } from '../memory-watch.js';
import { MALLOC_ENV } from '../reexec.js';
import { describeStore, openStore } from '../store.js';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** One line of the doctor's report. */
export interface CheckResult {
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do about it, for `warn` and `fail`. */
  fix?: string;
}

export interface DoctorOptions {
  dir: string;
  feeds?: string;
  json: boolean;
}

const DEPLOY_FILES = ['heroku.yml', 'Procfile', 'app.json', 'Dockerfile'];

/** Runs a check, turning a throw into a `fail` line with the error's message (secrets masked by Output). */
async function attempt(check: string, fn: () => Promise<CheckResult | CheckResult[]>): Promise<CheckResult[]> {
  try {
    const result = await fn();
    return Array.isArray(result) ? result : [result];
  } catch (error) {
    return [{ check, status: 'fail', detail: oneLine(describeError(error).message) }];
  }
}

/** `doctor [DIR]`: every check runs even when an earlier one fails, so one run shows everything. */
export async function runDoctor(options: DoctorOptions, io: Io, output: Output): Promise<number> {
  const results: CheckResult[] = [];
  let configInvalid = false;
  let feedsFile: FeedsFile | undefined;

  results.push(
    ...(await attempt('feeds', async () => {
      const file = locateFeeds(options.feeds, io);
      feedsFile = file;
      const sources = readFeedList(await readFeedsText(file.path), { baseDir: dirname(file.path) });
      const note = file.origin === 'examples' ? ' (the bundled examples: no ./feeds.txt, no N2K_FEEDS)' : '';
      if (sources.length === 0) {
        return {
          check: 'feeds',
          status: 'fail',
          detail: `${file.path} lists no feeds`,
          fix: 'Add one feed URL per line.',
        };
      }
      return { check: 'feeds', status: 'ok', detail: `${sources.length} feed(s) in ${file.path}${note}` };
    })),
  );
  if (results[0]?.status === 'fail') configInvalid = true;

  let config: Config | undefined;
  if (feedsFile) {
    const file = feedsFile;
    const checked = await attempt('configuration', async () => {
      config = loadConfig(io, file, {}).config;
      const mail = config.smtp ? `mail to ${config.to.join(', ')}` : `books to the outbox ${config.outbox}`;
      return { check: 'configuration', status: 'ok', detail: `valid: ${config.format}, ${config.device}, ${mail}` };
    });
    if (checked[0]?.status === 'fail') configInvalid = true;
    results.push(...checked);
  }

  results.push(...(await attempt('mail', () => checkMail(io))));
  results.push(...(await attempt('converters', () => checkConverters())));
  results.push(checkMemory(io.env));
  if (config) {
    const valid = config;
    results.push(...(await attempt('state store', () => checkStore(valid, io))));
  }
  results.push(...(await attempt('deployment', () => checkDeployment(resolve(io.cwd, options.dir), io))));

  const failed = results.some((r) => r.status === 'fail');
  if (options.json) {
    output.out(`${JSON.stringify({ ok: !failed, checks: results }, null, 2)}\n`);
  } else {
    const s = output.outStyle;
    const mark: Record<CheckStatus, string> = {
      ok: s.green('✓'),
      warn: s.yellow('!'),
      fail: s.red('✗'),
      skip: s.dim('-'),
    };
    for (const r of results) {
      output.out(`${mark[r.status]} ${r.check.padEnd(13)} ${r.detail}\n`);
      if (r.fix) output.out(`  ${' '.repeat(13)} fix: ${r.fix}\n`);
    }
    output.out(
      failed
        ? `\n${s.red('Problems found.')} Fix the lines marked ✗ and run doctor again.\n`
        : `\n${s.green('All good.')}\n`,
    );
  }
  if (configInvalid) return EXIT.usage;
  return failed ? EXIT.failed : EXIT.ok;
}

async function checkMail(io: Io): Promise<CheckResult[]> {
  const smtp = smtpOptionsFromEnv(io.env);
  const results: CheckResult[] = [];
  const to = io.env.KINDLE_EMAIL?.trim();
  if (!smtp.options) {
    if (smtp.problems.length > 0) {
      return smtp.problems.map((p) => ({ check: 'mail', status: 'fail' as const, detail: p }));
    }
    const dyno = dynoInfo(io.env);
    return [
      {
        check: 'mail',
        // On a dyno the outbox vanishes with the dyno: there, no SMTP means no delivery at all.
        status: dyno.kind === 'local' ? 'warn' : 'fail',
        detail: `no SMTP server configured: books go to the outbox folder, not to a Kindle${dyno.kind === 'local' ? '' : ` (and on Heroku dyno ${dyno.name} that folder disappears with the dyno)`}`,
        fix: 'Set SMTP_URL (or EMAIL_SMTP, EMAIL_SMTP_PORT, EMAIL_USER, EMAIL_PASSWORD), EMAIL_FROM and KINDLE_EMAIL.',
      },
    ];
  }
  for (const p of smtp.problems) results.push({ check: 'mail', status: 'fail', detail: p });
  if (!to) {
    results.push({
      check: 'mail',
      status: 'fail',
      detail: 'KINDLE_EMAIL is not set',
      fix: 'Set KINDLE_EMAIL to your Send-to-Kindle address.',
    });
  }
  const { host, port, secure, auth } = smtp.options;
  const where = `${host}:${port ?? (secure ? 465 : 587)} (${secure ? 'TLS' : 'STARTTLS'})${auth ? ` as ${auth.user}` : ''}`;
  const transport = createSmtpTransport(smtp.options);
  try {
    await transport.verify();
    results.push({
      check: 'mail',
      status: 'ok',
      detail: `SMTP ${where}: connected and logged in (from ${smtp.source})`,
    });
  } catch (error) {
    results.push({
      check: 'mail',
      status: 'fail',
      detail: `SMTP ${where}: ${oneLine(describeError(error).message)}`,
      fix: 'Check the host, port, user and password; 587 uses STARTTLS, 465 implicit TLS.',
    });
  } finally {
    await transport.close();
  }
  return results;
}

async function checkStore(config: Config, io: Io): Promise<CheckResult> {
  const store = openStore(config, io);
  try {
    const [last] = await store.runs(1);
    const history = last
      ? `last run ${last.finishedAt.toISOString()} (${last.outcome}, ${last.counts.articles} articles)`
      : 'no runs yet';
    return { check: 'state store', status: 'ok', detail: `${describeStore(config)}: readable, ${history}` };
  } finally {
    await store.close();
  }
}

async function checkConverters(): Promise<CheckResult> {
  const parts = ['epub: built in'];
  let any = false;
  for (const converter of [createCalibreConverter(), createKindlegenConverter()]) {
    const availability = await converter.available();
    if (availability.ok) {
      any = true;
      parts.push(
        `${converter.formats.filter((f) => f !== 'epub').join('/')}: ${converter.name}${availability.version ? ` ${availability.version}` : ''}`,
      );
    } else {
      parts.push(`${converter.name}: not installed`);
    }
  }
  return {
    check: 'converters',
    status: 'ok',
    detail: parts.join('; '),
    ...(any ? {} : { fix: 'Only needed for --format azw3 or mobi: install calibre (ebook-convert).' }),
  };
}

async function checkDeployment(dir: string, io: Io): Promise<CheckResult[]> {
  if (!DEPLOY_FILES.some((file) => existsSync(join(dir, file)))) {
    return [{ check: 'deployment', status: 'skip', detail: `no Heroku files (${DEPLOY_FILES.join(', ')}) in ${dir}` }];
  }
  const findings = await deploymentDoctor(dir, { env: io.env });
  if (findings.length === 0)
    return [{ check: 'deployment', status: 'ok', detail: `Heroku files in ${dir} look right` }];
  return findings.map((f) => ({
    check: 'deployment',
    status: f.severity === 'error' ? ('fail' as const) : ('warn' as const),
    detail: `${f.file}${f.line ? `:${f.line}` : ''} ${f.code}: ${f.message}`,
    fix: f.fix,
  }));
}

/** Whether `send` runs with the malloc settings, and how (see README, "Memory"); the dyno's quota. */
export function checkMemory(env: Io['env']): CheckResult {
  const names = Object.keys(MALLOC_ENV) as (keyof typeof MALLOC_ENV)[];
  const missing = names.filter((name) => env[name] === undefined);
  const dyno = dynoInfo(env);
  const { quotaMb, problem } = dynoQuotaMb(env);
  const quota = dyno.kind === 'local' ? '' : `; R14 warning at 85% of ${quotaMb} MB`;
  if (problem)
    return { check: 'memory', status: 'warn', detail: problem, fix: 'Set N2K_DYNO_MEMORY_MB to your dyno size in MB.' };
  const wanted = names.map((name) => `${name}=${MALLOC_ENV[name]}`).join(' ');
  if (missing.length === 0) {
    const set = names.map((name) => `${name}=${env[name]}`).join(' ');
    return { check: 'memory', status: 'ok', detail: `${set} in the environment${quota}` };
  }
  if (env.N2K_NO_REEXEC) {
    return {
      check: 'memory',
      status: 'warn',
      detail: `N2K_NO_REEXEC is set and ${missing.join(', ')} not: image conversion keeps freed memory (peak about twice as high)`,
      fix: `Set ${wanted} in the environment.`,
    };
  }
  if (dyno.kind !== 'local') {
    return {
      check: 'memory',
      status: 'warn',
      detail: `${missing.join(', ')} not set on dyno ${dyno.name}: send starts a second Node process to get them (a few MB more)${quota}`,
      fix: `heroku config:set ${wanted} NODE_OPTIONS=--max-semi-space-size=1 (the Dockerfile sets them for the container stack).`,
    };
  }
  if (process.platform !== 'linux') {
    return { check: 'memory', status: 'ok', detail: `${process.platform}: no glibc, its malloc settings do not apply` };
  }
  return { check: 'memory', status: 'ok', detail: `send and build start themselves again with ${wanted}` };
}

const oneLine = (text: string) => text.replace(/\n\s*/g, '; ');
