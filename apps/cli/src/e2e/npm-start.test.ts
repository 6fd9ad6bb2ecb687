import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { lintKindle } from '@news2kindle/epub-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, epubcheck, hasEpubcheck, runCli, tempDir } from './harness.js';

const withEpubcheck = hasEpubcheck();
let tmp: Awaited<ReturnType<typeof tempDir>>;
beforeAll(async () => {
  tmp = await tempDir('n2k-e2e-start-');
});
afterAll(() => tmp?.remove());

describe("npm start's command: news2kindle send from the repository root, no configuration", {
  timeout: 120_000,
}, () => {
  it('delivers the bundled examples to the outbox as .epub and .eml, then finds nothing new', async () => {
    const outbox = join(tmp.dir, 'outbox');
    // The same command scripts/bootstrap.sh runs, with the state and outbox moved to a temp folder.
    const env = { N2K_DATA_DIR: join(tmp.dir, 'state'), N2K_OUTBOX: outbox };
    const first = await runCli(['send'], { env, cwd: REPO_ROOT });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stderr).toContain('using the bundled example feeds');
    const files = await readdir(outbox);
    const epub = files.find((f) => f.endsWith('.epub'));
    const eml = files.find((f) => f.endsWith('.eml'));
    expect(epub).toBeDefined();
    expect(eml).toBeDefined();
    expect(first.stdout).toContain(`book:    ${join(outbox, epub!)}`);
    expect(first.stdout).toContain(`message: ${join(outbox, eml!)}`);
    expect(first.stdout).toMatch(/Delivered 9 articles from 4 feeds/);
    expect(first.stdout).toContain('山海晚报');
    expect(first.stdout).toContain('ساحة المدينة');
    expect(await lintKindle(join(outbox, epub!))).toEqual([]);
    // The four example pictures (JPEG, PNG, WebP made JPEG) are in the book: zip entry names are plain text.
    const names = (await readFile(join(outbox, epub!)))
      .toString('latin1')
      .match(/OEBPS\/images\/[0-9a-f]+\.(jpg|png)/g);
    expect(new Set(names).size).toBe(4);
    if (withEpubcheck) {
      const check = epubcheck(join(outbox, epub!));
      expect(check.ok, check.output).toBe(true);
    }

    const second = await runCli(['send'], { env, cwd: REPO_ROOT });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain('Nothing new since the last delivery');
    expect((await readdir(outbox)).length).toBe(files.length);
  });
});
