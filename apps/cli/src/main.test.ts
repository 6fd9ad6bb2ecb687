import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '@news2kindle/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };
import { main } from './main.js';
import { memoryIo } from './memory-io.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n2k-cli-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('main', () => {
  it('prints the version and an overview naming every command', async () => {
    const v = memoryIo();
    expect(await main(['--version'], v.io)).toBe(0);
    expect(v.stdout()).toBe(`${pkg.version}\n`);
    const h = memoryIo();
    expect(await main(['--help'], h.io)).toBe(0);
    for (const word of ['send', 'build', 'feeds check', 'feeds import', 'feeds export', 'doctor', 'Exit codes']) {
      expect(h.stdout()).toContain(word);
    }
  });

  it('has help with examples for every command', async () => {
    for (const argv of [
      ['send'],
      ['build'],
      ['feeds'],
      ['feeds', 'check'],
      ['feeds', 'import'],
      ['feeds', 'export'],
      ['doctor'],
    ]) {
      const t = memoryIo();
      expect(await main([...argv, '--help'], t.io)).toBe(0);
      expect(t.stdout()).toMatch(new RegExp(`Usage: news2kindle ${argv.join(' ')}`));
      expect(t.stdout()).toContain('Examples:');
    }
  });

  it('exits 2 on usage errors, pointing at the right help', async () => {
    const t = memoryIo();
    expect(await main(['build', '--out', 'x.epub', '--format', 'pdf'], t.io)).toBe(2);
    expect(t.stderr()).toContain('--format pdf: expected epub, azw3, mobi');
    expect(t.stderr()).toContain('news2kindle build --help');
    expect(t.stdout()).toBe('');
    const u = memoryIo();
    expect(await main(['sned'], u.io)).toBe(2);
    expect(u.stderr()).toContain('unknown command "sned"');
  });

  it('colours only a terminal, and never with NO_COLOR', async () => {
    const tty = memoryIo({ tty: true, env: {} });
    await main(['sned'], tty.io);
    expect(tty.stderr()).toContain('\x1b[31m');
    const noColor = memoryIo({ tty: true, env: { NO_COLOR: '1' } });
    await main(['sned'], noColor.io);
    expect(noColor.stderr()).not.toContain('\x1b[');
    const pipe = memoryIo({ tty: false, env: {} });
    await main(['sned'], pipe.io);
    expect(pipe.stderr()).not.toContain('\x1b[');
  });

  it('converts OPML to feeds.txt and back', async () => {
    const opml = `<?xml version="1.0"?>
<opml version="2.0"><head><title>Mine</title></head><body>
<outline text="Tech"><outline type="rss" text="Example &amp; Co" xmlUrl="https://example.org/feed.xml"/></outline>
<outline type="rss" text="Other" xmlUrl="https://other.example/rss"/>
</body></opml>`;
    await writeFile(join(dir, 'subs.opml'), opml);
    const imp = memoryIo({ cwd: dir });
    expect(await main(['feeds', 'import', 'subs.opml'], imp.io)).toBe(0);
    expect(imp.stdout()).toContain('https://example.org/feed.xml title="Example & Co"');
    expect(imp.stdout()).toContain('https://other.example/rss title=Other');

    const toFile = memoryIo({ cwd: dir });
    expect(await main(['feeds', 'import', 'subs.opml', '--out', 'feeds.txt'], toFile.io)).toBe(0);
    expect(toFile.stderr()).toContain('2 feed(s) written to');
    const exp = memoryIo({ cwd: dir });
    expect(await main(['feeds', 'export'], exp.io)).toBe(0);
    expect(exp.stdout()).toContain('xmlUrl="https://example.org/feed.xml"');
    expect(exp.stdout()).toContain('text="Example &amp; Co"');
    expect(await readFile(join(dir, 'feeds.txt'), 'utf8')).toContain('https://other.example/rss');
  });

  it('exits 2 for a missing or broken feeds file, naming the file or line', async () => {
    const missing = memoryIo({ cwd: dir });
    expect(await main(['feeds', 'export', '--feeds', 'nope.txt'], missing.io)).toBe(2);
    expect(missing.stderr()).toMatch(/feeds file .*nope\.txt does not exist/);
    await writeFile(join(dir, 'bad.txt'), 'https://ok.example/feed\nhttps://x.example/f full=sometimes\n');
    const bad = memoryIo({ cwd: dir });
    expect(await main(['feeds', 'export', '--feeds', 'bad.txt'], bad.io)).toBe(2);
    expect(bad.stderr()).toContain('line 2');
    const none = memoryIo({ cwd: dir });
    expect(await main(['feeds', 'export'], none.io)).toBe(2);
    expect(none.stderr()).toContain('no feeds file');
  });
});

describe('main with --json', () => {
  it('answers in JSON on stdout even when the command cannot run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'n2k-json-'));
    try {
      const t = memoryIo({ cwd: dir, env: { N2K_FORMAT: 'pdf' } });
      await writeFile(join(dir, 'feeds.txt'), 'https://example.org/feed.xml\n');
      expect(await main(['send', '--json'], t.io)).toBe(2);
      const answer = JSON.parse(t.stdout());
      expect(answer.error).toMatchObject({ code: 'CONFIG_INVALID', exitCode: 2 });
      expect(answer.error.message).toContain('N2K_FORMAT');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('secret feed URLs', () => {
  it('are masked in what the CLI reports, but kept in a converted feeds file', async () => {
    const server = await startTestServer({ routes: { '/private.xml': { status: 403, body: 'no' } } });
    try {
      const url = `${server.at('/private.xml')}?token=s3cr3t-feed-token&edition=uk`;
      await writeFile(join(dir, 'feeds.txt'), `${url}\n`);
      const check = memoryIo({ cwd: dir });
      expect(await main(['feeds', 'check'], check.io)).not.toBe(0);
      const printed = check.stdout() + check.stderr();
      expect(printed).toContain('private.xml?token=***&edition=uk');
      expect(printed).not.toContain('s3cr3t-feed-token');

      const exported = memoryIo({ cwd: dir });
      expect(await main(['feeds', 'export'], exported.io)).toBe(0);
      expect(exported.stdout()).toContain('s3cr3t-feed-token');
    } finally {
      await server.close();
    }
  });
});
