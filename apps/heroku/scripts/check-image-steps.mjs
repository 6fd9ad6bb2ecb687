// Runs the Dockerfile's steps outside Docker (no Docker engine on these machines): copies the build
// context as .dockerignore filters it, runs the build stage's RUN commands in the copy, then starts
// the final CMD as a web dyno and the job as a one-off, with the image's ENV. Takes about a minute
// (a full pnpm install and build). Run after `pnpm build`:
//   pnpm --filter @news2kindle/heroku-app check:image
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, matchesGlob, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accepts, freePort } from './net.mjs';
import { parseDockerfile } from '@news2kindle/heroku-runner';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'n2k-image-'));
const app = join(work, 'app');
const step = (text) => console.log(`› ${text}`);

// .dockerignore: one pattern per line, matched against the path from the context root.
const ignores = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const ignored = (path) => ignores.some((p) => matchesGlob(path, p) || matchesGlob(path, `${p}/**`));

const docker = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
const [build, final] = [docker.stages[0], docker.stages.at(-1)];
const envOf = (stage) =>
  Object.fromEntries(
    stage.instructions
      .filter((i) => i.keyword === 'ENV')
      .flatMap((i) => [...i.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]])),
  );

try {
  step(`copying the build context to ${app} (.dockerignore: ${ignores.join(', ')})`);
  cpSync(ROOT, app, { recursive: true, filter: (src) => src === ROOT || !ignored(relative(ROOT, src)) });
  if (existsSync(join(app, 'node_modules')) || existsSync(join(app, '.git')))
    throw new Error('.dockerignore let node_modules or .git through');

  const buildEnv = { ...process.env, ...envOf(build) };
  for (const run of build.instructions.filter((i) => i.keyword === 'RUN')) {
    const pin = /npm install -g .*pnpm@(\S+)/.exec(run.args)?.[1];
    if (pin && execFileSync('pnpm', ['--version'], { encoding: 'utf8' }).trim() === pin) {
      step(`skip (pnpm ${pin} is installed): ${run.args}`);
      continue;
    }
    step(`RUN ${run.args}`);
    execFileSync('/bin/sh', ['-c', run.args], { cwd: app, env: buildEnv, stdio: 'inherit' });
  }

  const finalEnv = { PATH: process.env.PATH, HOME: work, ...envOf(final) };
  finalEnv.N2K_DATA_DIR = join(work, 'tmp', 'state');
  finalEnv.N2K_OUTBOX = join(work, 'tmp', 'outbox');
  for (const run of final.instructions.filter((i) => i.keyword === 'RUN')) {
    const link = /ln -s (\S+) (\S+)/.exec(run.args);
    if (link) {
      const target = link[1].replace(/^\/app\//, `${app}/`);
      if (!existsSync(target)) throw new Error(`${run.args}: ${target} is missing in the image`);
      step(`skip (system path) but the target exists: ${run.args}`);
      continue;
    }
    step(`RUN ${run.args} (WITH_CALIBRE=false)`);
    execFileSync('/bin/sh', ['-c', run.args], {
      cwd: app,
      env: { ...finalEnv, WITH_CALIBRE: 'false' },
      stdio: 'inherit',
    });
  }

  const cmd = final.instructions.filter((i) => i.keyword === 'CMD').at(-1)?.exec;
  if (!cmd) throw new Error('no exec-form CMD in the final stage');
  const port = await freePort();
  step(`CMD ${JSON.stringify(cmd)} with PORT=${port}`);
  const started = performance.now();
  const web = spawn(cmd[0] === 'node' ? process.execPath : cmd[0], cmd.slice(1), {
    cwd: app,
    env: { ...finalEnv, PORT: String(port), DYNO: 'web.1' },
    stdio: 'inherit',
  });
  while (!(await accepts(port))) {
    if (web.exitCode !== null) throw new Error(`the web process exited with ${web.exitCode}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const bootMs = performance.now() - started;
  for (const path of ['/', '/healthz']) {
    const res = await fetch(`http://127.0.0.1:${port}${path}`);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
  }
  const exited = new Promise((resolve) => web.once('exit', (code) => resolve(code)));
  web.kill('SIGTERM');
  const code = await exited;
  if (code !== 0) throw new Error(`the web process exited ${code} after SIGTERM`);

  step('the job as a one-off dyno: news2kindle send (the bundled examples, into the outbox)');
  execFileSync(process.execPath, ['apps/cli/dist/cli.js', 'send'], {
    cwd: app,
    env: { ...finalEnv, DYNO: 'run.1' },
    stdio: 'inherit',
  });
  const sent = readdirSync(finalEnv.N2K_OUTBOX).filter((f) => f.endsWith('.eml'));
  if (sent.length !== 1) throw new Error(`expected one message in the outbox, found ${sent.length}`);
  console.log(
    `\nimage steps OK: web accepted after ${bootMs.toFixed(0)} ms, exit 0 on SIGTERM; the job delivered once.`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
