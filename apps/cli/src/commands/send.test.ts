import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { memoryIo } from '../memory-io.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n2k-send-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('send on a terminal (in-process, the bundled examples)', () => {
  it('redraws a live progress line, then prints the summary with the outbox paths', async () => {
    const t = memoryIo({ cwd: dir, tty: true, env: { NO_COLOR: '1' } });
    const code = await main(['send', '--outbox', 'out', '--data-dir', 'state'], t.io);
    expect(code, t.stderr()).toBe(0);
    const err = t.stderr();
    expect(err).toContain('using the bundled example feeds');
    expect(err).toMatch(/\r\x1b\[2K. fetching feeds · feeds \d\/4/);
    expect(err).toMatch(/\r\x1b\[2K. building the book · feeds 4\/4 · articles \d+/);
    expect(err).not.toMatch(/^fetching 4 feeds$/m);
    const files = await readdir(join(dir, 'out'));
    expect(files.filter((f) => f.endsWith('.epub'))).toHaveLength(1);
    expect(t.stdout()).toContain(`message: ${join(dir, 'out', files.find((f) => f.endsWith('.eml'))!)}`);
    expect(t.stdout()).not.toContain('\x1b[');
  });

  it('warns that an outbox on a Heroku dyno is lost with the dyno', async () => {
    const t = memoryIo({ cwd: dir, env: { DYNO: 'scheduler.4821' } });
    expect(await main(['send', '--outbox', 'out3', '--data-dir', 'state3'], t.io)).toBe(0);
    expect(t.stderr()).toMatch(/warning: no SMTP server is configured on Heroku dyno scheduler\.4821/);
  });

  it('exits 130 when interrupted, before anything is recorded', async () => {
    const controller = new AbortController();
    controller.abort(Object.assign(new Error('received SIGINT'), { signal: 'SIGINT' }));
    const t = memoryIo({ cwd: dir, env: {}, signal: controller.signal });
    expect(await main(['send', '--outbox', 'out2', '--data-dir', 'state2'], t.io)).toBe(130);
    expect(t.stderr()).toContain('interrupted by SIGINT');
    expect(await readdir(join(dir, 'out2')).catch(() => [])).toEqual([]);
  });
});
