import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { requireTool } from '@news2kindle/testkit';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calibreProfile, createCalibreConverter } from './calibre.js';
import { rejection, WRITE_MOBI, writeFakeTool } from './fake-tools.js';
import { runConverterConformance, writeSampleEpub } from './testing.js';

const hasCalibre = requireTool('calibre', 'ebook-convert');

const tools = await mkdtemp(join(tmpdir(), 'n2k-fake-calibre-'));
// Stand-ins for ebook-convert (`ebook-convert in out [options]`), one per failure path.
const fake = {
  fail: await writeFakeTool(
    tools,
    'ebook-convert-fail',
    `echo 'Converting input to HTML...'\necho 'Traceback (most recent call last):' >&2\necho 'calibre.ebooks.DRMError: the book is locked' >&2\nexit 1`,
  ),
  hang: await writeFakeTool(tools, 'ebook-convert-hang', 'sleep 600'),
  garbage: await writeFakeTool(tools, 'ebook-convert-garbage', `yes 'not a book at all' | head -n 20 > "$2"\nexit 0`),
  crash: await writeFakeTool(tools, 'ebook-convert-crash', `echo 'Parsing all content...'\nkill -SEGV $$`),
  record: await writeFakeTool(
    tools,
    'ebook-convert',
    `[ "$1" = --version ] && { echo 'ebook-convert (calibre 9.9.1)'; exit 0; }
printf '%s\\n' "$@" > "$FAKE_RECORD"
echo "QT=$QTWEBENGINE_CHROMIUM_FLAGS" >> "$FAKE_RECORD"
echo "TMPDIR=$TMPDIR" >> "$FAKE_RECORD"
touch "$TMPDIR/calibre-scratch"
out="$2"
${WRITE_MOBI}
echo 'WARNING: Cover image could not be found'`,
  ),
};
afterAll(() => rm(tools, { recursive: true, force: true }));

/** Whether a conversion folder under `dir` has files in it (the tool is running). */
async function scratchStarted(dir: string): Promise<boolean> {
  for (const name of await readdir(dir)) {
    if ((await readdir(join(dir, name)).catch(() => [])).length > 0) return true;
  }
  return false;
}

/** PIDs of live (non-zombie) processes whose command line mentions `text`. */
async function processesMentioning(text: string): Promise<number[]> {
  const found: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.includes(text)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    if (stat && !/^\d+ \(.*\) Z/.test(stat)) found.push(Number(entry));
  }
  return found;
}

/** Whether a process has exited; a zombie counts, since a container's PID 1 may never reap it. */
async function isGone(pid: number): Promise<boolean> {
  // SIGKILL is delivered asynchronously: poll /proc briefly instead of sleeping a fixed time.
  for (let attempt = 0; attempt < 50; attempt++) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined || /^\d+ \(.*\) Z/.test(stat)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

runConverterConformance('calibre', () => createCalibreConverter(), {
  skipConvert: hasCalibre ? false : 'calibre is not installed',
  hanging: () => createCalibreConverter({ binary: fake.hang }),
  missing: () => createCalibreConverter({ binary: join(tools, 'no-such-ebook-convert') }),
});

describe('calibre with fake executables', () => {
  let dir = '';
  let input = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n2k-calibre-'));
    input = join(dir, 'in.epub');
    await writeSampleEpub(input);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));
  const leftovers = async () => (await readdir(dir)).filter((name) => name.startsWith('.'));

  it('reports a non-zero exit with the exit code, the stderr tail, the command and what to do', async () => {
    const error = await rejection(
      createCalibreConverter({ binary: fake.fail }).convert(input, { format: 'azw3', output: join(dir, 'fail.azw3') }),
    );
    expect(error.code).toBe('EXIT_CODE');
    expect(error.exitCode).toBe(1);
    expect(error.signal).toBeUndefined();
    expect(error.adapter).toBe('calibre');
    expect(error.stderr).toContain('DRMError: the book is locked');
    expect(error.message).toContain('exited with code 1: calibre.ebooks.DRMError: the book is locked');
    expect(error.message).toContain('epubcheck');
    expect(error.command).toContain(fake.fail);
    expect(error.command).toContain('--output-profile kindle_pw3');
    expect(await leftovers()).toEqual([]);
  });

  it('rejects garbage output even though the tool exited 0', async () => {
    const error = await rejection(
      createCalibreConverter({ binary: fake.garbage }).convert(input, { format: 'mobi', output: join(dir, 'g.mobi') }),
    );
    expect(error.code).toBe('BAD_OUTPUT');
    expect(error.message).toContain('BOOKMOBI');
    expect(await readdir(dir)).not.toContain('g.mobi');
    expect(await leftovers()).toEqual([]);
  });

  it('reports a crash by signal and hints at memory', async () => {
    const error = await rejection(
      createCalibreConverter({ binary: fake.crash }).convert(input, { format: 'azw3', output: join(dir, 'c.azw3') }),
    );
    expect(error.code).toBe('SIGNAL');
    expect(error.signal).toBe('SIGSEGV');
    expect(error.message).toContain('memory');
    expect(error.stderr).toContain('Parsing all content');
    expect(await leftovers()).toEqual([]);
  });

  it('kills the whole process group on timeout, including grandchildren', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const spawner = await writeFakeTool(tools, 'ebook-convert-spawner', `sleep 600 &\necho $! > '${pidFile}'\nwait`);
    const error = await rejection(
      createCalibreConverter({ binary: spawner }).convert(input, {
        format: 'azw3',
        output: join(dir, 's.azw3'),
        timeoutMs: 500,
      }),
    );
    expect(error.code).toBe('TIMEOUT');
    const grandchild = Number((await readFile(pidFile, 'utf8')).trim());
    expect(await isGone(grandchild)).toBe(true);
  });

  it('passes Kindle options, the device profile, the env, root sandbox flags and a private TMPDIR', async () => {
    const record = join(dir, 'record.txt');
    const converter = createCalibreConverter({ binary: fake.record, env: { FAKE_RECORD: record } });
    expect(await converter.available()).toEqual({ ok: true, version: '9.9.1', path: fake.record });
    const result = await converter.convert(input, { format: 'azw3', output: join(dir, 'r.azw3'), device: 'scribe' });
    const lines = (await readFile(record, 'utf8')).trim().split('\n');
    expect(lines.slice(0, 5)).toEqual([
      input,
      expect.stringMatching(/book\.azw3$/),
      '--output-profile',
      'kindle_scribe',
      '--no-inline-toc',
    ]);
    expect(lines).toContain(process.getuid?.() === 0 ? 'QT=--no-sandbox' : 'QT=');
    const tmp = lines.find((line) => line.startsWith('TMPDIR='))!.slice('TMPDIR='.length);
    expect(tmp.startsWith(join(dir, '.r.azw3.n2k-'))).toBe(true);
    expect(result.warnings).toEqual(['WARNING: Cover image could not be found']);
    expect(await leftovers()).toEqual([]);
  });

  it('escalates to SIGKILL when the tool ignores SIGTERM', async () => {
    const stubborn = await writeFakeTool(tools, 'ebook-convert-stubborn', `trap '' TERM\nsleep 600`);
    const started = performance.now();
    const error = await rejection(
      createCalibreConverter({ binary: stubborn }).convert(input, {
        format: 'azw3',
        output: join(dir, 'k.azw3'),
        timeoutMs: 300,
      }),
    );
    expect(error.code).toBe('TIMEOUT');
    expect(error.signal).toBe('SIGKILL');
    // 300 ms timeout plus the 3 s grace between SIGTERM and SIGKILL.
    expect(performance.now() - started).toBeGreaterThan(3000);
    expect(await leftovers()).toEqual([]);
  });

  it('hands the tool absolute paths when given relative ones, since it runs in its own folder', async () => {
    const record = join(dir, 'record-relative.txt');
    const converter = createCalibreConverter({ binary: fake.record, env: { FAKE_RECORD: record } });
    const output = relative(process.cwd(), join(dir, 'relative.azw3'));
    const result = await converter.convert(relative(process.cwd(), input), { format: 'azw3', output });
    expect(result.path).toBe(join(dir, 'relative.azw3'));
    const [first] = (await readFile(record, 'utf8')).split('\n');
    expect(first).toBe(input);
  });

  it('maps devices to output profiles and refuses unknown ones', () => {
    expect(calibreProfile(undefined)).toBe('kindle_pw3');
    expect(calibreProfile('paperwhite')).toBe('kindle_oasis');
    expect(calibreProfile('kindle_voyage')).toBe('kindle_voyage');
    expect(() => calibreProfile('nook')).toThrow(/unknown device "nook"/);
  });
});

describe.skipIf(!hasCalibre)('calibre for real', () => {
  let dir = '';
  let input = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n2k-calibre-real-'));
    input = join(dir, 'in.epub');
    await writeSampleEpub(input, { title: 'Morning Edition', author: 'Ada Lovelace', language: 'fr', images: 2 });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  for (const format of ['azw3', 'mobi'] as const) {
    it(`converts to ${format} and ebook-meta reads back title, author and language`, async () => {
      const output = join(dir, `book.${format}`);
      const result = await createCalibreConverter().convert(input, { format, output, timeoutMs: 120_000 });
      expect(result.bytes).toBeGreaterThan(1000);
      const { stdout } = await execa('ebook-meta', [output]);
      expect(stdout).toMatch(/^Title\s*:\s*Morning Edition$/m);
      expect(stdout).toMatch(/^Author\(s\)\s*:\s*Ada Lovelace\b/m);
      expect(stdout).toMatch(/^Languages\s*:\s*(fr|fra)$/m);
    }, 150_000);
  }

  it('converts a 200-article book with images within its timeout', async () => {
    const big = join(dir, 'big.epub');
    await writeSampleEpub(big, { articles: 200, paragraphs: 6, images: 20 });
    const result = await createCalibreConverter().convert(big, {
      format: 'azw3',
      output: join(dir, 'big.azw3'),
      timeoutMs: 120_000,
    });
    expect(result.bytes).toBeGreaterThan(100_000);
    expect(result.ms).toBeLessThan(120_000);
  }, 150_000);

  it('stops a real conversion on abort (the Heroku SIGTERM path): no book, no scratch files, no calibre left', async () => {
    const big = join(dir, 'abort.epub');
    await writeSampleEpub(big, { articles: 200, paragraphs: 6, images: 20 });
    const outDir = await mkdtemp(join(dir, 'abort-'));
    const controller = new AbortController();
    const pending = createCalibreConverter().convert(big, {
      format: 'azw3',
      output: join(outDir, 'abort.azw3'),
      signal: controller.signal,
    });
    // Abort once calibre has created its scratch files in the conversion folder, i.e. is working.
    for (let i = 0; i < 100 && !(await scratchStarted(outDir)); i++) await new Promise((r) => setTimeout(r, 50));
    controller.abort(new Error('SIGTERM'));
    const error = await rejection(pending);
    expect(error.code).toBe('ABORTED');
    expect(await readdir(outDir)).toEqual([]);
    expect(await processesMentioning(outDir)).toEqual([]);
  }, 60_000);
});
