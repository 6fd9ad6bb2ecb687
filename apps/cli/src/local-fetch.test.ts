import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalFetch } from './local-fetch.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n2k-local-'));
  await writeFile(join(dir, 'pic.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('createLocalFetch', () => {
  it('serves files under the roots with a content type', async () => {
    const res = await createLocalFetch([dir])(pathToFileURL(join(dir, 'pic.png')).href);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    expect((await createLocalFetch([dir])(pathToFileURL(join(dir, 'none.png')))).status).toBe(404);
  });

  it('refuses files outside the roots, even through ..', async () => {
    const local = createLocalFetch([join(dir, 'sub')]);
    expect((await local(pathToFileURL(join(dir, 'pic.png')).href)).status).toBe(403);
    expect((await local(`${pathToFileURL(join(dir, 'sub')).href}/../pic.png`)).status).toBe(403);
    expect((await local('file:///etc/passwd')).status).toBe(403);
  });

  it('passes every other URL to the real fetch', async () => {
    const seen: string[] = [];
    const base = (async (input: string | URL | Request) => {
      seen.push(String(input));
      return new Response('ok');
    }) as typeof fetch;
    expect(await (await createLocalFetch([dir], base)('http://127.0.0.1:9/x')).text()).toBe('ok');
    expect(seen).toEqual(['http://127.0.0.1:9/x']);
  });
});
