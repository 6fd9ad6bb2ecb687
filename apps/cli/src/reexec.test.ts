import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type TestServer, startTestServer } from '@news2kindle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli, tempDir } from './e2e/harness.js';
import { MALLOC_ENV, NODE_FLAGS, childExecArgv, wantsReexec } from './reexec.js';

describe('wantsReexec', () => {
  it('re-executes the image-heavy commands only, once, and never when told not to', () => {
    for (const argv of [['send'], ['build', '--out', 'b.epub'], ['feeds', 'check']]) {
      expect(wantsReexec(argv, {}), argv.join(' ')).toBe(true);
    }
    for (const argv of [[], ['--help'], ['-h'], ['--version'], ['help', 'send'], ['send', '--help'], ['doctor']]) {
      expect(wantsReexec(argv, {}), argv.join(' ')).toBe(false);
    }
    expect(wantsReexec(['feeds', 'export'], {})).toBe(false);
    expect(wantsReexec(['send'], { ...MALLOC_ENV })).toBe(false);
    expect(wantsReexec(['send'], { MALLOC_ARENA_MAX: '4' })).toBe(true);
    expect(wantsReexec(['send'], { N2K_NO_REEXEC: '1' })).toBe(false);
    expect(wantsReexec(['send'], {}, 'linux')).toBe(true);
    expect(wantsReexec(['send'], {}, 'darwin')).toBe(false);
    expect(wantsReexec(['send'], {}, 'win32')).toBe(false);
  });
});

describe('childExecArgv', () => {
  it("adds the Node flags to the parent's, unless the user set them", () => {
    expect(childExecArgv([], {})).toEqual(['--max-semi-space-size=1']);
    expect(childExecArgv(['--enable-source-maps'], {})).toEqual(['--enable-source-maps', '--max-semi-space-size=1']);
    expect(childExecArgv(['--max-semi-space-size=8'], {})).toEqual(['--max-semi-space-size=8']);
    expect(childExecArgv(['--max_semi_space_size=8'], {})).toEqual(['--max_semi_space_size=8']);
    expect(childExecArgv([], { NODE_OPTIONS: '--enable-source-maps --max-semi-space-size=4' })).toEqual([]);
  });
});

// N2K_DEBUG makes the process that runs the command print its pid, parent pid, malloc settings and
// Node flags: the proof that the work happens in a tuned child.
const DEBUG =
  /news2kindle: debug: pid (\d+) ppid (\d+) MALLOC_ARENA_MAX=(\S*) MALLOC_MMAP_THRESHOLD_=(\S*) execArgv=(.*)/;

interface Seen {
  pid: number;
  ppid: number;
  arenas: string;
  threshold: string;
  execArgv: string;
}
const seen = (stderr: string): Seen | undefined => {
  const m = DEBUG.exec(stderr);
  return m ? { pid: Number(m[1]), ppid: Number(m[2]), arenas: m[3]!, threshold: m[4]!, execArgv: m[5]! } : undefined;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let server: TestServer;
let tmp: Awaited<ReturnType<typeof tempDir>>;
let feeds: string;

beforeAll(async () => {
  // A feed that answers only after the test is over: the run is in progress whenever we act on it.
  server = await startTestServer({ routes: { '/slow.xml': { body: '<rss/>', latencyMs: 60_000 } } });
  tmp = await tempDir('n2k-reexec-');
  feeds = join(tmp.dir, 'feeds.txt');
  await writeFile(feeds, `${server.at('/slow.xml')}\n`);
});
afterAll(async () => {
  await server?.close();
  await tmp?.remove();
});

describe('the bin re-executes itself with the malloc settings', { timeout: 60_000 }, () => {
  it('runs the command in a child that has MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_ and the Node flags', async () => {
    let parent = 0;
    const run = await runCli(['build', '--feeds', join(tmp.dir, 'missing.txt'), '--out', 'b.epub'], {
      env: { N2K_DEBUG: '1' },
      cwd: tmp.dir,
      onStderr: { match: DEBUG, act: (child) => (parent = child.pid ?? 0) },
    });
    const child = seen(run.stderr);
    expect(child, run.stderr).toBeDefined();
    expect(child?.pid).not.toBe(parent);
    expect(child?.ppid).toBe(parent);
    expect(child?.arenas).toBe(MALLOC_ENV.MALLOC_ARENA_MAX);
    expect(child?.threshold).toBe(MALLOC_ENV.MALLOC_MMAP_THRESHOLD_);
    for (const flag of NODE_FLAGS) expect(child?.execArgv.split(' ')).toContain(flag);
    // The child's exit code (2: no such feeds file) is the parent's.
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/missing\.txt does not exist/);
    // Said once: by the child, not again by the parent.
    expect(run.stderr.match(/^news2kindle: .*does not exist/gm)).toHaveLength(1);
  });

  it('works in its own process with N2K_NO_REEXEC, and for --version', async () => {
    for (const [args, env] of [
      [['build', '--feeds', 'missing.txt', '--out', 'b.epub'], { N2K_DEBUG: '1', N2K_NO_REEXEC: '1' }],
      [['--version'], { N2K_DEBUG: '1' }],
    ] as const) {
      let parent = 0;
      const run = await runCli([...args], {
        env,
        cwd: tmp.dir,
        onStderr: { match: DEBUG, act: (child) => (parent = child.pid ?? 0) },
      });
      const self = seen(run.stderr);
      expect(self?.pid, run.stderr).toBe(parent);
      expect(self?.arenas).toBe('');
      expect(self?.execArgv).toBe('');
    }
  });

  it('forwards SIGTERM to the child and exits as it does (143), leaving no child behind', async () => {
    const bin = start(['build', '--feeds', feeds, '--out', 'b.epub']);
    const child = seen(await bin.waitFor(DEBUG));
    expect(child?.ppid).toBe(bin.proc.pid);
    // What the kernel recorded when the child was executed, independent of what it says of itself.
    if (existsSync('/proc/self/environ')) {
      const environ = readFileSync(`/proc/${child!.pid}/environ`, 'utf8').split('\0');
      expect(environ).toEqual(expect.arrayContaining(['MALLOC_ARENA_MAX=2', 'MALLOC_MMAP_THRESHOLD_=131072']));
      expect(readFileSync(`/proc/${child!.pid}/cmdline`, 'utf8').split('\0')).toContain('--max-semi-space-size=1');
      expect(readFileSync(`/proc/${bin.proc.pid}/environ`, 'utf8')).not.toContain('MALLOC_ARENA_MAX');
    }
    bin.proc.kill('SIGTERM');
    const end = await bin.ended;
    expect(end.code, bin.stderr()).toBe(143);
    expect(bin.stderr()).toMatch(/interrupted by SIGTERM/);
    expect(alive(child!.pid)).toBe(false);
  });

  it('ends gracefully (130) when Ctrl-C reaches both processes', async () => {
    const bin = start(['build', '--feeds', feeds, '--out', 'b.epub']);
    const child = seen(await bin.waitFor(DEBUG));
    // What a terminal does: SIGINT to the whole foreground process group; the parent forwards its copy.
    process.kill(child!.pid, 'SIGINT');
    bin.proc.kill('SIGINT');
    const end = await bin.ended;
    expect(end.code, bin.stderr()).toBe(130);
    // The graceful path (a second signal would have exited at once, saying nothing).
    expect(bin.stderr()).toMatch(/interrupted by SIGINT: nothing was sent or recorded/);
  });

  it('dies of the signal that killed the child', async () => {
    const bin = start(['build', '--feeds', feeds, '--out', 'b.epub']);
    const child = seen(await bin.waitFor(DEBUG));
    process.kill(child!.pid, 'SIGKILL');
    const end = await bin.ended;
    expect(end).toEqual({ code: null, signal: 'SIGKILL' });
  });
});

/** The built bin as a child of the test, to act on it and on its own child while it runs. */
function start(args: string[]) {
  const proc = spawn(process.execPath, [BIN, ...args], {
    cwd: tmp.dir,
    env: { PATH: process.env.PATH ?? '', HOME: tmp.dir, NO_COLOR: '1', N2K_DEBUG: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let text = '';
  const waiters: Array<() => void> = [];
  proc.stderr.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('close', (code, signal) => {
      resolve({ code, signal });
      for (const wake of waiters.splice(0)) wake();
    }),
  );
  const waitFor = async (pattern: RegExp): Promise<string> => {
    while (!pattern.test(text)) {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`exited before ${pattern}: ${text}`);
      await new Promise<void>((wake) => waiters.push(wake));
    }
    return text;
  };
  return { proc, ended, waitFor, stderr: () => text };
}
