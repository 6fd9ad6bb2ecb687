import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { dynoInfo } from '@news2kindle/heroku-runner';
import { deliver } from '@news2kindle/pipeline';
import type { SendOptions } from '../args.js';
import { loadConfig } from '../config.js';
import { signalExitCode } from '../errors.js';
import { announceFeeds, checkFeedsFile, locateFeeds } from '../feeds-file.js';
import type { Io, Output } from '../io.js';
import { startJobMemoryWatch } from '../memory-watch.js';
import { Progress } from '../progress.js';
import { openStore } from '../store.js';
import { exitCodeFor, renderSendSummary, toJson } from '../summary.js';

/**
 * The outbox writes each attachment beside its .eml under the same time stamp prefix; the
 * report may list only the .eml, and users want the book's path too.
 */
export async function withAttachments(files: string[]): Promise<string[]> {
  const all = new Set(files);
  for (const eml of files.filter((f) => extname(f) === '.eml')) {
    const stamp = basename(eml).split('-')[0];
    if (!stamp) continue;
    const siblings = await readdir(dirname(eml)).catch(() => [] as string[]);
    for (const name of siblings) if (name.startsWith(`${stamp}-`)) all.add(join(dirname(eml), name));
  }
  return [...all].sort((a, b) => Number(extname(a) === '.eml') - Number(extname(b) === '.eml') || a.localeCompare(b));
}

/** `send`: one delivery; the exit code follows the report (see README). */
export async function runSend(options: SendOptions, io: Io, output: Output): Promise<number> {
  const feeds = locateFeeds(options.feeds, io);
  const { config, examplesWindow } = loadConfig(io, feeds, options);
  await checkFeedsFile(feeds);
  announceFeeds(feeds, io, output, examplesWindow);

  const progress = new Progress(output, options.json, Boolean(io.env.N2K_DEBUG));
  const memory = startJobMemoryWatch(io.env, (line) => progress.note(line));
  const store = openStore(config, io);
  let report: Awaited<ReturnType<typeof deliver>>;
  try {
    report = await deliver(config, {
      store,
      signal: io.signal,
      progress: (event) => progress.update(event),
      log: (event) => progress.log(event),
    });
  } finally {
    memory.stop();
    progress.clear();
    await store.close();
  }
  if (report.outbox) report.outbox = await withAttachments(report.outbox);
  const dyno = dynoInfo(io.env);
  if (report.transport === 'outbox' && dyno.kind !== 'local') {
    // A dyno's file system vanishes when it stops: an outbox there is a book nobody will read.
    progress.note(
      `warning: no SMTP server is configured on Heroku dyno ${dyno.name}: the book went to an outbox that disappears with the dyno; set SMTP_URL and KINDLE_EMAIL`,
    );
  }
  if (options.json) output.out(toJson(report));
  else output.out(renderSendSummary(report, output.outStyle));
  return signalExitCode(io.signal) ?? exitCodeFor(report);
}
