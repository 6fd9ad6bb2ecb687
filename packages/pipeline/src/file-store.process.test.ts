import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileStore } from './file-store.js';

// Child processes run the real store: bundled once from src/ so no build of the package is needed.
let work: string;
let storeModule: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'n2k-file-proc-'));
  storeModule = join(work, 'store.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./file-store.ts', import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile: storeModule,
    logLevel: 'silent',
  });
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Starts a node child running `body` with `createFileStore` imported; resolves lines it prints. */
function child(body: string): { proc: ChildProcess; lines: string[]; line: (match: RegExp) => Promise<string> } {
  const script = `import { createFileStore } from ${JSON.stringify(storeModule)};\n${body}`;
  const proc = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
    for (const wake of waiters.splice(0)) wake();
  });
  let stderr = '';
  proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const line = (match: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = lines.find((l) => match.test(l));
        if (found) resolve(found);
        else if (proc.exitCode !== null) reject(new Error(`child exited ${proc.exitCode}: ${stderr}`));
        else waiters.push(check);
      };
      proc.once('exit', () => setTimeout(check, 20));
      check();
    });
  return { proc, lines, line };
}

const exited = (proc: ChildProcess) =>
  new Promise<void>((resolve) =>
    proc.exitCode !== null || proc.signalCode ? resolve() : proc.once('exit', () => resolve()),
  );

describe('file store across processes', () => {
  it('survives SIGKILL at any moment: the file always parses and holds every acknowledged commit', async () => {
    const dir = join(work, 'crash');
    let acknowledged = 0;
    for (let round = 0; round < 12; round++) {
      const { proc, lines, line } = child(`
        const store = createFileStore({ dir: ${JSON.stringify(dir)} });
        let n = (await store.deliveredIds('count')).size;
        const filler = 'x'.repeat(200);
        for (;;) {
          n++;
          await store.commit({ delivered: [{ feedUrl: 'count', id: 'n' + n + filler, deliveredAt: new Date() }] });
          console.log('ack ' + n);
        }
      `);
      // Kill at a different moment each round: mid-write, mid-rename, between commits.
      await line(/^ack /);
      await new Promise((resolve) => setTimeout(resolve, 10 + round * 17));
      proc.kill('SIGKILL');
      await exited(proc);
      const acks = lines.filter((l) => l.startsWith('ack ')).map((l) => Number(l.slice(4)));
      acknowledged = Math.max(acknowledged, ...acks);
      const raw = await readFile(join(dir, 'state.json'), 'utf8');
      expect(() => JSON.parse(raw)).not.toThrow();
      const stored = await createFileStore({ dir }).deliveredIds('count');
      expect(stored.size).toBeGreaterThanOrEqual(acknowledged);
    }
    expect(acknowledged).toBeGreaterThan(12);
  });

  it('takes over a lock whose holder was killed', async () => {
    const dir = join(work, 'killed-holder');
    const holder = child(`
      const store = createFileStore({ dir: ${JSON.stringify(dir)} });
      await store.lock();
      console.log('locked');
      setInterval(() => {}, 1000);
    `);
    await holder.line(/^locked$/);
    const store = createFileStore({ dir });
    await expect(store.lock({ waitMs: 0 })).rejects.toMatchObject({ code: 'LOCKED' });
    holder.proc.kill('SIGKILL');
    await exited(holder.proc);
    const release = await store.lock({ waitMs: 0 });
    await release();
  });

  it('takes over a lock from another host only when it is too old', async () => {
    const dir = join(work, 'other-host');
    const store = createFileStore({ dir, staleLockMs: 60_000 });
    await store.feedStates(); // creates the folder
    const lockFile = join(dir, 'state.lock');
    const owner = { pid: 1, hostname: `not-${hostname()}`, createdAt: new Date().toISOString(), token: 'someone' };
    await writeFile(lockFile, JSON.stringify(owner));
    await expect(store.lock({ waitMs: 0 })).rejects.toMatchObject({
      code: 'LOCKED',
      message: expect.stringContaining(`not-${hostname()}`),
    });
    const old = new Date(Date.now() - 10 * 60_000);
    await utimes(lockFile, old, old);
    const release = await store.lock({ waitMs: 0 });
    expect(JSON.parse(await readFile(lockFile, 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('keeps a held lock fresh, so a long delivery is not taken over', async () => {
    const dir = join(work, 'heartbeat');
    // Generous margins: a loaded CI machine can stall the event loop for a few hundred ms.
    const one = createFileStore({ dir, staleLockMs: 1_000 });
    const release = await one.lock();
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const two = createFileStore({ dir, staleLockMs: 1_000 });
    await expect(two.lock({ waitMs: 0 })).rejects.toMatchObject({ code: 'LOCKED' });
    await release();
  });

  it('gives a stale lock to exactly one of several processes racing for it', async () => {
    const dir = join(work, 'race');
    const store = createFileStore({ dir });
    await store.feedStates();
    const dead = spawn(process.execPath, ['-e', '']);
    await exited(dead);
    await writeFile(
      join(dir, 'state.lock'),
      JSON.stringify({ pid: dead.pid, hostname: hostname(), createdAt: new Date().toISOString(), token: 'dead' }),
    );
    const racers = Array.from({ length: 4 }, () =>
      child(`
        const store = createFileStore({ dir: ${JSON.stringify(dir)} });
        try {
          await store.lock({ waitMs: 0 });
          console.log('won');
          await new Promise((resolve) => setTimeout(resolve, 1500));
        } catch (error) {
          console.log('lost ' + error.code);
        }
      `),
    );
    const results = await Promise.all(racers.map((r) => r.line(/^(won|lost .*)$/)));
    expect(results.filter((r) => r === 'won')).toHaveLength(1);
    expect(results.filter((r) => r === 'lost LOCKED')).toHaveLength(3);
    await Promise.all(racers.map((r) => exited(r.proc)));
  });
});
