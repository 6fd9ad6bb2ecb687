import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSources } from './sources.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n2k-sources-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readSources', () => {
  it('reads a feeds.txt with comments, options and paths relative to the file', async () => {
    const file = join(dir, 'feeds.txt');
    await writeFile(file, '# mine\nhttps://example.org/feed.xml  Example  max=5\n\nlocal/feed.xml\n');
    const sources = await readSources({ feeds: file });
    expect(sources).toHaveLength(2);
    expect(sources[0]).toMatchObject({ url: 'https://example.org/feed.xml', title: 'Example', maxItems: 5, line: 2 });
    expect(sources[1]?.url).toBe(`file://${join(dir, 'local/feed.xml')}`);
  });

  it('takes a list of URLs and source objects', async () => {
    const sources = await readSources({
      feeds: ['https://a.example/feed', { url: 'https://b.example/feed', title: 'B' }],
    });
    expect(sources.map((s) => s.url)).toEqual(['https://a.example/feed', 'https://b.example/feed']);
  });

  it('names a missing or empty feed list', async () => {
    await expect(readSources({ feeds: join(dir, 'nope.txt') })).rejects.toMatchObject({
      code: 'SOURCES_FAILED',
      message: expect.stringMatching(/nope\.txt.*does not exist/),
    });
    const empty = join(dir, 'empty.txt');
    await writeFile(empty, '# nothing yet\n');
    await expect(readSources({ feeds: empty })).rejects.toMatchObject({
      code: 'SOURCES_FAILED',
      message: expect.stringContaining('no feeds'),
    });
  });
});
