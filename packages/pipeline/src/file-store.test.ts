import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileStore } from './file-store.js';
import { testStateStore } from './testing.js';

testStateStore('file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'n2k-file-store-'));
  return {
    open: () => createFileStore({ dir: join(dir, 'data') }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('file store', () => {
  it('refuses a state file it cannot read, naming it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'n2k-file-store-'));
    try {
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(dir, 'state.json'), '{"hello":');
      const store = createFileStore({ dir });
      await expect(store.feedStates()).rejects.toMatchObject({
        code: 'STATE_CORRUPT',
        message: expect.stringContaining('state.json'),
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves only state.json behind after commits', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'n2k-file-store-'));
    try {
      const store = createFileStore({ dir });
      await store.commit({ delivered: [{ feedUrl: 'f', id: 'a', deliveredAt: new Date() }] });
      const release = await store.lock();
      await release();
      expect(await readdir(dir)).toEqual(['state.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
