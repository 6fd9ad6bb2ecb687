import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  REPO_ROOT,
  freePort,
  requireBuilt,
  seedFileHistory,
  startProcess,
  waitForPort,
  waitForPortClosed,
} from './test-process.js';

const NF = fileURLToPath(new URL('../node_modules/.bin/nf', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'n2k-heroku-nf-'));

describe('the repository Procfile under foreman (nf start)', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts the web process on the port foreman assigns, and stops it on SIGTERM', async () => {
    requireBuilt();
    expect(readFileSync(join(REPO_ROOT, 'Procfile'), 'utf8')).toMatch(/^web: /m);
    const env = await seedFileHistory(dir);
    const envFile = join(dir, 'test.env');
    writeFileSync(
      envFile,
      Object.entries(env)
        .map(([k, v]) => `${k}=${v}\n`)
        .join(''),
    );
    const port = await freePort();
    const nf = startProcess(NF, [
      'start',
      '--procfile',
      'Procfile',
      '--env',
      envFile,
      '--port',
      String(port),
      '--raw',
      'web',
    ]);
    try {
      await waitForPort(port, 20_000, nf.child);
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('17 articles');
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    } finally {
      nf.child.kill('SIGTERM');
      await nf.exited;
    }
    // foreman exits without waiting for its children: the web process must still be gone soon,
    // not left running as an orphan (what happens when a shell stands between them).
    await waitForPortClosed(port, 5_000);
    expect(nf.output()).toContain(`web: listening on 0.0.0.0:${port}`);
  });
});
