import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection } from './fake-tools.js';
import { checkBook, ConverterError, pickConverter } from './index.js';
import type { Availability, BookFormat, Converter } from './index.js';
import { writeSampleEpub } from './testing.js';

describe('ConverterError', () => {
  it('carries a code, the facts and a cause', () => {
    const cause = new Error('root');
    const error = new ConverterError('EXIT_CODE', 'something happened', {
      cause,
      adapter: 'calibre',
      command: 'ebook-convert in.epub out.azw3',
      exitCode: 1,
      stderr: 'boom',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConverterError');
    expect(error.code).toBe('EXIT_CODE');
    expect(error.cause).toBe(cause);
    expect(error).toMatchObject({ adapter: 'calibre', exitCode: 1, stderr: 'boom', signal: undefined });
  });
});

describe('checkBook', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n2k-check-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('accepts a sample EPUB and a file with BOOKMOBI at offset 60', async () => {
    await writeSampleEpub(join(dir, 'ok.epub'));
    await writeFile(
      join(dir, 'ok.mobi'),
      Buffer.concat([Buffer.alloc(60), Buffer.from('BOOKMOBI'), Buffer.alloc(100)]),
    );
    expect(await checkBook(join(dir, 'ok.epub'), 'epub')).toBeUndefined();
    expect(await checkBook(join(dir, 'ok.mobi'), 'azw3')).toBeUndefined();
  });

  it('explains what is wrong with a bad file', async () => {
    await writeFile(
      join(dir, 'bad.mobi'),
      Buffer.concat([Buffer.alloc(60), Buffer.from('TEXtREAd'), Buffer.alloc(100)]),
    );
    expect(await checkBook(join(dir, 'bad.mobi'), 'mobi')).toBe('it has no BOOKMOBI header at offset 60');
    expect(await checkBook(join(dir, 'bad.mobi'), 'epub')).toBe('it is not a ZIP archive');
  });
});

/** A converter double for pickConverter: pickConverter only reads name, formats and available(). */
function stub(name: string, formats: BookFormat[], availability: Availability, log: string[] = []): Converter {
  return {
    name,
    formats,
    async available() {
      log.push(name);
      return availability;
    },
    async convert() {
      throw new Error('not used');
    },
  };
}

describe('pickConverter', () => {
  const passthrough = stub('passthrough', ['epub'], { ok: true });
  const calibre = stub('calibre', ['azw3', 'mobi', 'epub'], { ok: true, version: '6.13.0' });
  const noCalibre = stub('calibre', ['azw3', 'mobi', 'epub'], { ok: false, install: 'apt-get install calibre' });
  const kindlegen = stub('kindlegen', ['mobi'], { ok: true, version: '2.9' });

  it('passes EPUB through and sends MOBI/AZW3 to calibre first', async () => {
    const converters = [passthrough, calibre, kindlegen];
    expect((await pickConverter('epub', { converters })).name).toBe('passthrough');
    expect((await pickConverter('azw3', { converters })).name).toBe('calibre');
    expect((await pickConverter('mobi', { converters })).name).toBe('calibre');
  });

  it('falls back to kindlegen for MOBI when calibre is missing, and honours a preference', async () => {
    expect((await pickConverter('mobi', { converters: [passthrough, noCalibre, kindlegen] })).name).toBe('kindlegen');
    const log: string[] = [];
    const picked = await pickConverter('mobi', {
      converters: [stub('calibre', ['mobi'], { ok: true }, log), stub('kindlegen', ['mobi'], { ok: true }, log)],
      preference: ['kindlegen'],
    });
    expect(picked.name).toBe('kindlegen');
    expect(log).toEqual(['kindlegen']);
  });

  it('throws NO_CONVERTER with what to install when nothing can produce the format', async () => {
    const error = await rejection(pickConverter('azw3', { converters: [passthrough, noCalibre, kindlegen] }));
    expect(error.code).toBe('NO_CONVERTER');
    expect(error.message).toContain('AZW3');
    expect(error.message).toContain('calibre: apt-get install calibre');
  });

  it('uses the real adapters by default: EPUB always has one', async () => {
    expect((await pickConverter('epub')).name).toBe('passthrough');
  });
});
