import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from './fake-tools.js';
import { createPassthroughConverter } from './passthrough.js';
import { runConverterConformance, writeSampleEpub } from './testing.js';

runConverterConformance('passthrough', createPassthroughConverter);

describe('passthrough', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n2k-passthrough-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('copies the EPUB byte for byte and reports no warnings', async () => {
    const input = join(dir, 'in.epub');
    await writeSampleEpub(input, { articles: 5, images: 2 });
    const result = await createPassthroughConverter().convert(input, { format: 'epub', output: join(dir, 'out.epub') });
    expect(await readFile(result.path)).toEqual(await readFile(input));
    expect(result.warnings).toEqual([]);
  });

  it('refuses a ZIP whose first entry is not mimetype, naming the entry', async () => {
    const input = join(dir, 'wrong-order.epub');
    await writeFile(
      input,
      zipSync({ 'content.opf': strToU8('<package/>'), mimetype: strToU8('application/epub+zip') }),
    );
    const error = await rejection(
      createPassthroughConverter().convert(input, { format: 'epub', output: join(dir, 'never.epub') }),
    );
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toContain('"content.opf"');
    expect(await readdir(dir)).not.toContain('never.epub');
  });

  it('refuses a missing input with the path in the message', async () => {
    const missing = join(dir, 'nope.epub');
    const error = await rejection(
      createPassthroughConverter().convert(missing, { format: 'epub', output: join(dir, 'x.epub') }),
    );
    expect(error.code).toBe('INPUT_INVALID');
    expect(error.message).toContain(missing);
  });

  it('refuses a timeout Node timers cannot hold instead of firing at once', async () => {
    const input = join(dir, 'in.epub');
    await writeSampleEpub(input);
    const error = await rejection(
      createPassthroughConverter().convert(input, { format: 'epub', output: join(dir, 'y.epub'), timeoutMs: Infinity }),
    );
    expect(error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toContain('timeoutMs');
  });
});
