import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lintKindle } from '@news2kindle/epub-builder';
import { requireTool } from '@news2kindle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Mailbox, type Site, runCli, startMailbox, startSite, tempDir, workspace } from './harness.js';

const withCalibre = requireTool('calibre', 'ebook-convert', ['--version']);
let site: Site;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let mailbox: Mailbox;

beforeAll(async () => {
  site = await startSite({ slowMs: 200 });
  tmp = await tempDir('n2k-e2e-cmds-');
  mailbox = await startMailbox(tmp.dir);
});
afterAll(async () => {
  await mailbox?.smtp.close();
  await site?.server.close();
  await tmp?.remove();
});

describe('build, feeds check and doctor, end to end', { timeout: 120_000 }, () => {
  it('build writes the book, sends nothing, records nothing, and exits 3 for the broken feed', async () => {
    const ws = await workspace(tmp.dir, 'build', site);
    const run = await runCli(['build', '--out', 'today.epub', '--max-per-feed', '2', '--json'], {
      env: { ...mailbox.env, ...ws.env },
      cwd: ws.dir,
    });
    expect(run.code, run.stderr).toBe(3);
    const report = JSON.parse(run.stdout);
    expect(report.path).toBe(join(ws.dir, 'today.epub'));
    expect(report.articles).toBe(6);
    expect(await lintKindle(join(ws.dir, 'today.epub'))).toEqual([]);
    expect(mailbox.smtp.messages).toHaveLength(0);
    expect(existsSync(ws.data)).toBe(false);
  });

  it.skipIf(!withCalibre)('build --format azw3 converts with calibre', async () => {
    const ws = await workspace(tmp.dir, 'azw3', site, false);
    const run = await runCli(['build', '--out', 'today.azw3', '--format', 'azw3', '--device', 'scribe'], {
      env: ws.env,
      cwd: ws.dir,
    });
    expect(run.code, run.stderr).toBe(0);
    const book = await readFile(join(ws.dir, 'today.azw3'));
    // A Palm database whose type/creator says MOBI: what Kindles read.
    expect(book.subarray(60, 68).toString('latin1')).toBe('BOOKMOBI');
    expect(run.stdout).toMatch(/Wrote .*today\.azw3\n\s+7 articles/);
  });

  it('feeds check reports status, items and encoding per feed, and exits 1 for the broken one', async () => {
    const ws = await workspace(tmp.dir, 'check', site);
    const pageHits = site.server.hits('/news/story-1.html');
    const run = await runCli(['feeds', 'check', '--json'], { env: ws.env, cwd: ws.dir });
    expect(run.code, run.stderr).toBe(1);
    const { feeds, failed } = JSON.parse(run.stdout);
    expect(failed).toBe(1);
    const byPath = Object.fromEntries(feeds.map((f: { url: string }) => [new URL(f.url).pathname, f]));
    expect(byPath['/feeds/river.rss']).toMatchObject({
      ok: true,
      items: 3,
      format: 'rss2.0',
      title: 'River Times',
      line: 2,
    });
    expect(byPath['/feeds/gbk.xml']).toMatchObject({ ok: true, items: 2, title: '山城晚报' });
    expect(byPath['/feeds/gbk.xml'].encoding).toMatch(/^(gbk|gb18030)$/);
    expect(byPath['/feeds/slow.atom']).toMatchObject({ ok: true, items: 2, format: 'atom1.0' });
    expect(byPath['/feeds/broken.xml']).toMatchObject({ ok: false, error: { code: 'HTTP_STATUS' } });
    // Checking fetches feeds only, never article pages.
    expect(site.server.hits('/news/story-1.html')).toBe(pageHits);

    const human = await runCli(['feeds', 'check'], { env: ws.env, cwd: ws.dir });
    expect(human.stdout).toMatch(/✓ 山城晚报\n.*\n\s+2 items, rss2\.0, (gbk|gb18030)/);
    expect(human.stdout).toContain('3 of 4 feed(s) work, 1 failed.');
  });

  it('doctor logs in to the SMTP server and reads the store, without printing the password', async () => {
    const ws = await workspace(tmp.dir, 'doctor', site);
    const run = await runCli(['doctor', '--json'], { env: { ...mailbox.env, ...ws.env }, cwd: ws.dir });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const { ok, checks } = JSON.parse(run.stdout);
    expect(ok).toBe(true);
    expect(checks).toContainEqual(expect.objectContaining({ check: 'mail', status: 'ok' }));
    expect(checks).toContainEqual(expect.objectContaining({ check: 'state store', status: 'ok' }));
    expect(checks).toContainEqual(expect.objectContaining({ check: 'configuration', status: 'ok' }));
    expect(run.stdout + run.stderr).not.toContain(mailbox.password);
    expect(mailbox.smtp.messages).toHaveLength(0);
  });
});
