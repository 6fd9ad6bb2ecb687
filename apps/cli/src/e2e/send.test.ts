import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { lintKindle } from '@news2kindle/epub-builder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Mailbox,
  type Site,
  epubcheck,
  hasEpubcheck,
  runCli,
  startMailbox,
  startSite,
  tempDir,
  workspace,
} from './harness.js';

const withEpubcheck = hasEpubcheck();
let site: Site;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let mailbox: Mailbox;

beforeAll(async () => {
  site = await startSite();
  tmp = await tempDir('n2k-e2e-send-');
  mailbox = await startMailbox(tmp.dir);
});
afterAll(async () => {
  await mailbox?.smtp.close();
  await site?.server.close();
  await tmp?.remove();
});

describe('news2kindle send, end to end over loopback HTTP and SMTP', { timeout: 120_000 }, () => {
  it('delivers every new article once in a valid, Kindle-safe EPUB, reports it, and masks the password', async () => {
    const ws = await workspace(tmp.dir, 'main', site);
    const env = { ...mailbox.env, ...ws.env };
    const run = await runCli(['send', '--json'], { env, cwd: ws.dir });
    expect(run.stderr).not.toContain(mailbox.password);
    expect(run.stdout).not.toContain(mailbox.password);
    expect(run.code, run.stderr).toBe(3);

    const report = JSON.parse(run.stdout);
    expect(report.outcome).toBe('delivered');
    expect(report.transport).toBe('smtp');
    expect(report.recipients).toEqual(['reader_1@kindle.com']);
    expect(report.articles).toBe(site.titles.length);
    expect(report.delivered).toBe(site.titles.length);
    expect(report.volumes).toHaveLength(1);
    const byPath = Object.fromEntries(report.feeds.map((f: { url: string }) => [new URL(f.url).pathname, f]));
    expect(byPath['/feeds/river.rss']).toMatchObject({ status: 'ok', fetched: 3, new: 3, delivered: 3 });
    expect(byPath['/feeds/gbk.xml']).toMatchObject({ status: 'ok', new: 2, delivered: 2 });
    expect(byPath['/feeds/gbk.xml'].encoding).toMatch(/^(gbk|gb18030)$/);
    expect(byPath['/feeds/slow.atom']).toMatchObject({ status: 'ok', new: 2 });
    expect(byPath['/feeds/broken.xml']).toMatchObject({ status: 'failed', new: 0 });
    expect(byPath['/feeds/broken.xml'].error.message).toMatch(/500/);
    // The summary-only feed's full text came from its pages, with their images.
    expect(site.server.hits('/news/story-1.html')).toBeGreaterThan(0);
    expect(site.server.hits('/img/photo-1.jpg')).toBeGreaterThan(0);
    expect(site.server.hits('/img/chart-3.png')).toBeGreaterThan(0);

    const [message] = await mailbox.smtp.waitForMessages(1);
    expect(message?.to).toEqual(['reader_1@kindle.com']);
    expect(message?.from).toBe('news@example.org');
    const attachment = message?.parsed.attachments[0];
    expect(attachment?.contentType).toBe('application/epub+zip');
    const epub = join(ws.dir, 'received.epub');
    await writeFile(epub, attachment!.content);
    expect(await lintKindle(epub)).toEqual([]);
    if (withEpubcheck) {
      const check = epubcheck(epub);
      expect(check.ok, check.output).toBe(true);
    }

    // The second run finds nothing new and sends nothing; the broken feed alone does not fail it.
    const again = await runCli(['send'], { env, cwd: ws.dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('Nothing new since the last delivery');
    expect(again.stdout).toMatch(/✗ Broken Feed/);
    expect(mailbox.smtp.messages).toHaveLength(1);
    expect(again.stderr + again.stdout).not.toContain(mailbox.password);
  });

  it('prints one line per event off a terminal, and a dry run records nothing', async () => {
    const ws = await workspace(tmp.dir, 'dry', site);
    const run = await runCli(['send', '--dry-run'], { env: { ...mailbox.env, ...ws.env }, cwd: ws.dir });
    expect(run.code, run.stderr).toBe(3);
    expect(run.stderr).toMatch(/^fetching 4 feeds$/m);
    expect(run.stderr).toMatch(/^feeds 4\/4 fetched/m);
    expect(run.stderr).toMatch(/^warning: feed failed: .*broken\.xml/m);
    expect(run.stderr).toMatch(/^built: 7 articles, \d+ images, [\d.]+ KB$/m);
    expect(run.stderr).not.toContain('\r');
    expect(run.stdout).toMatch(/^Dry run: a book of 7 articles/m);
    const state = await readFile(join(ws.data, 'state.json'), 'utf8').catch(() => '');
    expect(state).not.toContain('river-1');
    const before = mailbox.smtp.messages.length;
    const real = await runCli(['send', '--json'], { env: { ...mailbox.env, ...ws.env }, cwd: ws.dir });
    expect(JSON.parse(real.stdout).articles).toBe(7);
    expect(mailbox.smtp.messages).toHaveLength(before + 1);
  });
});
