import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from '@news2kindle/testkit';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePng, writeSampleEpub } from './testing.js';

const JAR = '/usr/share/java/epubcheck.jar';
const EPUBCHECK = ['-jar', JAR];
// epubcheck has no exit-0 version flag: check the JVM and the jar separately.
const hasEpubcheck = requireTool('java', 'java', ['-version']) && requireTool('epubcheck', 'test', ['-f', JAR]);

describe('sample books', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'n2k-sample-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes PNGs with a valid signature and the requested size', () => {
    const png = samplePng(64, 32, 2);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(64);
    expect(png.readUInt32BE(20)).toBe(32);
    expect(samplePng(64, 32, 2)).toEqual(png);
    expect(samplePng(64, 32, 3)).not.toEqual(png);
  });

  it.skipIf(!hasEpubcheck)(
    'writes an EPUB that epubcheck accepts without errors or warnings',
    async () => {
      const path = join(dir, 'sample.epub');
      await writeSampleEpub(path, { articles: 12, images: 3, language: 'de', title: 'Tages & Nachrichten' });
      const result = await execa('java', [...EPUBCHECK, path], { reject: false });
      expect(result.stdout + result.stderr).toContain('0 fatals / 0 errors / 0 warnings');
      expect(result.exitCode).toBe(0);
    },
    120_000,
  );
});
