import { spawn } from 'node:child_process';

/**
 * glibc settings for the image-heavy commands. libvips frees its multi-MB image buffers, but by
 * default glibc keeps that memory resident in up to 8 arenas per core; two arenas and a fixed mmap
 * threshold hand it back to the OS (bench/results.md: epub-builder alone 284 → 164 MB at 200
 * articles). glibc reads them once, at process start, so they must be in the environment of a new
 * process: hence the re-execution.
 */
export const MALLOC_ENV = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' } as const;

/** V8 flags for the same process: a 1 MB young generation instead of 16 MB (measured, see README). */
export const NODE_FLAGS = ['--max-semi-space-size=1'] as const;

/** Commands that fetch and convert images; the others are quick and small, and start faster without. */
const HEAVY = new Set(['send', 'build', 'feeds check']);

/**
 * Whether this invocation should start itself again with {@link MALLOC_ENV}. Only on Linux: the
 * variables are glibc's, and elsewhere the second process would cost about as much as the Node
 * flag saves (and Windows has no signals to forward).
 */
export function wantsReexec(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (platform !== 'linux' || env.N2K_NO_REEXEC) return false;
  // Already tuned (by a previous re-execution, the Dockerfile or the user): nothing to gain.
  if (Object.keys(MALLOC_ENV).every((name) => env[name] !== undefined)) return false;
  if (argv.some((arg) => arg === '-h' || arg === '--help')) return false;
  const [first, second] = argv;
  return HEAVY.has(first === 'feeds' ? `feeds ${second}` : String(first));
}

/**
 * The child's Node flags: the parent's, plus each of {@link NODE_FLAGS} the user has not already
 * set a value for (on the command line or in NODE_OPTIONS): their choice wins.
 */
export function childExecArgv(execArgv: readonly string[], env: Record<string, string | undefined>): string[] {
  const given = [...execArgv, ...(env.NODE_OPTIONS ?? '').split(/\s+/)];
  const named = (flag: string) => flag.split('=')[0]!.replace(/_/g, '-');
  const extra = NODE_FLAGS.filter((flag) => !given.some((g) => named(g) === named(flag)));
  return [...execArgv, ...extra];
}

export interface ReexecOptions {
  /** The script and its arguments, i.e. `process.argv.slice(1)`. */
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  execPath: string;
  execArgv: readonly string[];
}

/** How the child ended: an exit code, or the signal that killed it. */
export type ChildEnd = { code: number; signal?: undefined } | { code?: undefined; signal: NodeJS.Signals };

const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs this CLI again as a child with the malloc settings and Node flags, stdio inherited, and
 * forwards SIGINT/SIGTERM/SIGHUP to it, so the child (which does the work) decides how to stop.
 * Resolves when it ends; rejects only when it could not be started.
 */
export function runTuned(options: ReexecOptions): Promise<ChildEnd> {
  const child = spawn(options.execPath, [...childExecArgv(options.execArgv, options.env), ...options.args], {
    env: { ...options.env, ...MALLOC_ENV },
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    const forward = (signal: NodeJS.Signals) => {
      // The child may already be gone: its exit is reported below.
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    const done = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    child.once('error', (error) => {
      done();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      done();
      resolve(signal ? { signal } : { code: code ?? 1 });
    });
  });
}
