// Helpers for this package's tests (not exported): epubcheck in batches, and a loopback image site.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireTool } from '@news2kindle/testkit';

const run = promisify(execFile);
export const EPUBCHECK_JAR = '/usr/share/java/epubcheck.jar';

/** Whether epubcheck can run here (skips with a reason on a user's machine, required when CI=true). */
export function hasEpubcheck(): boolean {
  if (!requireTool('java', 'java', ['-version'])) return false;
  return requireTool('epubcheck', 'test', ['-f', EPUBCHECK_JAR]) && existsSync(EPUBCHECK_JAR);
}

export interface EpubcheckReport {
  file: string;
  errors: number;
  warnings: number;
  messages: string[];
}

async function checkOne(file: string): Promise<EpubcheckReport> {
  const dir = await mkdtemp(join(tmpdir(), 'n2k-epubcheck-'));
  const json = join(dir, 'out.json');
  try {
    await run(
      'java',
      ['-Xss8m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-jar', EPUBCHECK_JAR, file, '--json', json],
      { timeout: 170_000 },
    ).catch(() => {});
    const report = JSON.parse(await readFile(json, 'utf8')) as {
      checker: { nFatal: number; nError: number; nWarning: number };
      messages: { ID: string; severity: string; message: string; locations: { path: string; line: number }[] }[];
    };
    return {
      file,
      errors: report.checker.nFatal + report.checker.nError,
      warnings: report.checker.nWarning,
      messages: report.messages
        .filter((m) => m.severity !== 'INFO' && m.severity !== 'USAGE')
        .map((m) => `${m.severity} ${m.ID} ${m.locations[0]?.path}:${m.locations[0]?.line} ${m.message}`),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs epubcheck on several books, a few JVMs at a time (each takes ~5 s and ~400 MB). */
export async function epubcheck(files: string[], parallel = 2): Promise<EpubcheckReport[]> {
  const reports: EpubcheckReport[] = [];
  for (let i = 0; i < files.length; i += parallel) {
    reports.push(...(await Promise.all(files.slice(i, i + parallel).map(checkOne))));
  }
  return reports;
}
