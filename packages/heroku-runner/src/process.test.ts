import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

// The real signals and the real process.exit, in a child process running the built package (the
// in-process tests inject both). `pnpm build` runs before the tests in CI and in `npm test`.
const PKG = fileURLToPath(new URL('..', import.meta.url));

function run(script: string, signal?: NodeJS.Signals) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: PKG,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let sent = false;
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk;
    if (signal && !sent && out.includes('ready')) {
      sent = true;
      child.kill(signal);
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    out += chunk;
  });
  return new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, out })),
  );
}

describe('in a real process', () => {
  beforeAll(() => {
    if (!existsSync(new URL('../dist/index.js', import.meta.url)))
      throw new Error('build the package first: pnpm build');
  });

  it('runJob: SIGTERM aborts the job, which winds down; the process exits 143 once', async () => {
    const { code, out } = await run(
      `import { runJob } from '@news2kindle/heroku-runner';
       let runs = 0;
       setInterval(() => {}, 1000); // a real job holds sockets or timers that keep the process alive
       await runJob(async (signal) => {
         runs++;
         console.log('ready');
         await new Promise((resolve) => signal.addEventListener('abort', resolve));
         console.log('aborted after ' + runs + ' run(s): ' + signal.reason.code);
       });`,
      'SIGTERM',
    );
    expect(code).toBe(143);
    expect(out).toContain('aborted after 1 run(s): JOB_TERMINATED');
  });

  it('runJob: a job that ignores SIGTERM is ended after the grace period', async () => {
    const started = Date.now();
    const { code } = await run(
      `import { runJob } from '@news2kindle/heroku-runner';
       await runJob(() => { console.log('ready'); return new Promise(() => setInterval(() => {}, 1000)); }, { shutdownTimeoutMs: 300 });`,
      'SIGTERM',
    );
    expect(code).toBe(143);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('runJob: the returned code becomes the exit code, even with handles left open', async () => {
    const { code } = await run(
      `import { runJob } from '@news2kindle/heroku-runner';
       await runJob(async () => { setInterval(() => {}, 1000); return 3; });`,
    );
    expect(code).toBe(3);
  });

  it('startWeb: a second signal during the drain does not kill the process', async () => {
    const { code, out } = await run(
      `import { startWeb } from '@news2kindle/heroku-runner';
       let release;
       const web = await startWeb({ port: 0, host: '127.0.0.1', log: (l) => console.log(l),
         handler: (_q, s) => new Promise((r) => { release = r; }).then(() => s.end('ok')) });
       await new Promise((r) => { const req = globalThis.fetch('http://127.0.0.1:' + web.port + '/'); setTimeout(r, 100); req.then((res) => res.text()).then((t) => console.log('answered ' + t)); });
       process.kill(process.pid, 'SIGTERM');
       await new Promise((r) => setTimeout(r, 50));
       process.kill(process.pid, 'SIGTERM');
       await new Promise((r) => setTimeout(r, 50));
       release();`,
    );
    // Killed by the second signal, the code would be null; cut off mid-request, 1.
    expect(out).toContain('1 request(s) in flight');
    expect(out).toContain('web: stopped (exit 0)');
    expect(code).toBe(0);
  });

  it('startWeb: SIGINT (Ctrl-C under foreman) shuts down and exits 0 even with a timer left running', async () => {
    const { code, out } = await run(
      `import { startWeb } from '@news2kindle/heroku-runner';
       setInterval(() => {}, 1000);
       await startWeb({ port: 0, host: '127.0.0.1', handler: (_q, s) => s.end('ok'), log: (l) => console.log(l) });
       console.log('ready');`,
      'SIGINT',
    );
    expect(code).toBe(0);
    expect(out).toContain('web: stopped (exit 0)');
  });
});
