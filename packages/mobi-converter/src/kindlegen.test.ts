import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection, WRITE_MOBI, writeFakeTool } from './fake-tools.js';
import { createKindlegenConverter } from './kindlegen.js';
import { runConverterConformance, writeSampleEpub } from './testing.js';

// A stand-in for kindlegen 2.9: banner when run bare; `kindlegen book.epub -o name.mobi` writes the
// book next to its input; exit 0 built, 1 built with warnings, 2 failed with errors.
const BANNER = `echo '*************************************************************'
echo ' Amazon kindlegen(Linux) V2.9 build 1028-0897292 '
echo ' A command line e-book compiler '
echo '*************************************************************'`;
const script = (mode: 'ok' | 'warn' | 'error' | 'warn-no-book') => `${BANNER}
[ $# -eq 0 ] && exit 0
out="$(dirname "$1")/$3"
case ${mode} in
  ok) ${WRITE_MOBI}; echo 'Info(prcgen):I1036: Mobi file built successfully'; exit 0 ;;
  warn) ${WRITE_MOBI}; echo 'Warning(prcgen):W14001: Hyperlink not resolved: a1.xhtml#missing'
        echo 'Warning(prcgen):W14016: Cover not specified'
        echo 'Info(prcgen):I1037: Mobi file built with WARNINGS!'; exit 1 ;;
  warn-no-book) echo 'Warning(prcgen):W14016: Cover not specified'; exit 1 ;;
  error) echo 'Error(prcgen):E21018: Enhanced Mobi building failed.'; exit 2 ;;
esac`;

const tools = await mkdtemp(join(tmpdir(), 'n2k-fake-kindlegen-'));
const fake = {
  ok: await writeFakeTool(tools, 'kindlegen', script('ok')),
  warn: await writeFakeTool(tools, 'kindlegen-warn', script('warn')),
  warnNoBook: await writeFakeTool(tools, 'kindlegen-warn-no-book', script('warn-no-book')),
  error: await writeFakeTool(tools, 'kindlegen-error', script('error')),
  hang: await writeFakeTool(tools, 'kindlegen-hang', `${BANNER}\n[ $# -eq 0 ] && exit 0\nsleep 600`),
};
afterAll(() => rm(tools, { recursive: true, force: true }));

runConverterConformance('kindlegen (fake)', () => createKindlegenConverter({ binary: fake.ok }), {
  hanging: () => createKindlegenConverter({ binary: fake.hang }),
  missing: () => createKindlegenConverter({ binary: join(tools, 'no-such-kindlegen') }),
});

describe('kindlegen', () => {
  let dir = '';
  let input = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n2k-kindlegen-'));
    input = join(dir, 'in.epub');
    await writeSampleEpub(input);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('reads the version from the banner', async () => {
    const availability = await createKindlegenConverter({ binary: fake.ok }).available();
    expect(availability).toEqual({ ok: true, version: '2.9', path: fake.ok });
  });

  it('treats exit code 1 with a built book as success and returns the warnings', async () => {
    const result = await createKindlegenConverter({ binary: fake.warn }).convert(input, {
      format: 'mobi',
      output: join(dir, 'warn.mobi'),
    });
    expect(result.warnings).toEqual([
      'Warning(prcgen):W14001: Hyperlink not resolved: a1.xhtml#missing',
      'Warning(prcgen):W14016: Cover not specified',
    ]);
  });

  it('fails on exit code 1 when no book was written', async () => {
    const error = await rejection(
      createKindlegenConverter({ binary: fake.warnNoBook }).convert(input, {
        format: 'mobi',
        output: join(dir, 'none.mobi'),
      }),
    );
    expect(error.code).toBe('BAD_OUTPUT');
    expect(error.message).toContain('no file was written');
    expect(error.exitCode).toBe(1);
    expect(error.stderr).toContain('W14016');
    expect(await readdir(dir)).not.toContain('none.mobi');
  });

  it('fails on exit code 2 with the error line, the command and the stderr tail', async () => {
    const error = await rejection(
      createKindlegenConverter({ binary: fake.error }).convert(input, {
        format: 'mobi',
        output: join(dir, 'error.mobi'),
      }),
    );
    const failure = error;
    expect(failure.code).toBe('EXIT_CODE');
    expect(failure.exitCode).toBe(2);
    expect(failure.adapter).toBe('kindlegen');
    expect(failure.message).toContain('E21018');
    expect(failure.command).toContain('-dont_append_source');
    expect(failure.stderr).toContain('Enhanced Mobi building failed');
    expect(await readdir(dir)).not.toContain('error.mobi');
  });
});
