// Runs one command the way the benchmark measures everything: under GNU `/usr/bin/time -v`
// (the kernel's peak resident set size of the largest process, exact) while sampling the whole
// process tree's PSS from /proc every 50 ms (catches tools that spread work over child processes).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function readChildren(pid) {
  const out = [];
  let tasks = [];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      const text = readFileSync(`/proc/${pid}/task/${tid}/children`, 'latin1').trim();
      if (text) out.push(...text.split(' ').map(Number));
    } catch {}
  }
  return out;
}

// PSS, not RSS: a page shared by two processes of the tree (the Node binary of a re-executing
// CLI and its child) counts half in each, so the sum counts it once, as the kernel's memory
// accounting (and a dyno's limit) does.
function pssKb(pid) {
  try {
    const m = readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1').match(/^Pss:\s+(\d+) kB/m);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Sum of PSS over `pid`'s descendants (excluding `/usr/bin/time` itself). */
function treePssKb(rootPid) {
  let total = 0;
  const stack = readChildren(rootPid);
  while (stack.length > 0) {
    const pid = stack.pop();
    total += pssKb(pid);
    stack.push(...readChildren(pid));
  }
  return total;
}

/**
 * Runs `command args` and returns { ok, exitCode, wallMs, cpuMs (user + system), maxRssKb, treePeakKb, stderr, stdout }.
 * `ok` is false on a non-zero exit or a timeout (then `error` says which).
 */
export async function measure(command, args, options = {}) {
  // Other engineers rebuild packages in this checkout while the bench runs: a dist folder that
  // is being rewritten (tsup cleans it first) is not a result; wait and run again.
  for (let attempt = 1; ; attempt++) {
    const r = await measureOnce(command, args, options);
    if (r.ok || attempt >= 4 || !/ERR_MODULE_NOT_FOUND|Cannot find module/.test(r.stderr))
      return { ...r, attempts: attempt };
    await new Promise((resolve) => setTimeout(resolve, 15_000));
  }
}

async function measureOnce(command, args, { cwd, env, timeoutMs = 20 * 60_000 } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'n2k-bench-'));
  const timeFile = join(dir, 'time.txt');
  const started = process.hrtime.bigint();
  const child = spawn('/usr/bin/time', ['-v', '-o', timeFile, command, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-20_000);
  });
  let treePeakKb = 0;
  const sampler = setInterval(() => {
    treePeakKb = Math.max(treePeakKb, treePssKb(child.pid));
  }, 50);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    for (const pid of readChildren(child.pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  }, timeoutMs);
  let spawnError;
  const exitCode = await new Promise((resolve) => {
    child.on('error', (error) => {
      // Spawn failed (missing program or working folder): a failed run, not a crashed runner.
      spawnError = error;
      resolve(-1);
    });
    child.on('close', (code) => resolve(code));
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  clearInterval(sampler);
  clearTimeout(timer);
  let report = '';
  try {
    report = await readFile(timeFile, 'utf8');
  } catch {}
  await rm(dir, { recursive: true, force: true });
  const field = (name) => {
    const m = report.match(new RegExp(`${name}: (\\d+)`));
    return m ? Number(m[1]) : undefined;
  };
  const seconds = (name) => {
    const m = report.match(new RegExp(`${name}: ([\\d.]+)`));
    return m ? Number(m[1]) : undefined;
  };
  const cpuMs = ((seconds('User time \\(seconds\\)') ?? 0) + (seconds('System time \\(seconds\\)') ?? 0)) * 1000;
  const status = field('Exit status');
  const maxRssKb = field('Maximum resident set size \\(kbytes\\)');
  const ok = !spawnError && !timedOut && exitCode === 0 && (status === undefined || status === 0);
  return {
    ok,
    error: spawnError
      ? `could not start: ${spawnError.message}`
      : timedOut
        ? `timed out after ${timeoutMs / 1000} s`
        : ok
          ? undefined
          : `exit ${status ?? exitCode}`,
    exitCode: status ?? exitCode,
    wallMs,
    cpuMs,
    maxRssKb,
    treePeakKb: Math.max(treePeakKb, maxRssKb ?? 0),
    stdout,
    stderr: spawnError ? String(spawnError) : stderr,
  };
}
