import { type DynoInfo, dynoInfo, memoryQuotaMb, watchMemory } from '@news2kindle/heroku-runner';

/** Heroku's default quota when nothing says otherwise: eco, basic and standard-1x dynos. */
const DEFAULT_QUOTA_MB = 512;

/**
 * The dyno's memory quota in MB: `N2K_DYNO_MEMORY_MB`, else `MEMORY_AVAILABLE` (set by Heroku's
 * Node.js buildpack), else the size named in `N2K_DYNO_SIZE`, else 512. A value that is not a
 * number or size comes back as `problem` with the default, so a typo costs a warning, not the run.
 */
export function dynoQuotaMb(env: Record<string, string | undefined>): { quotaMb: number; problem?: string } {
  for (const name of ['N2K_DYNO_MEMORY_MB', 'MEMORY_AVAILABLE'] as const) {
    const value = env[name]?.trim();
    if (!value) continue;
    const mb = Number(value);
    if (Number.isFinite(mb) && mb > 0) return { quotaMb: mb };
    return {
      quotaMb: DEFAULT_QUOTA_MB,
      problem: `${name}=${value} is not a number of MB; assuming ${DEFAULT_QUOTA_MB}`,
    };
  }
  const size = env.N2K_DYNO_SIZE?.trim();
  if (!size) return { quotaMb: DEFAULT_QUOTA_MB };
  try {
    return { quotaMb: memoryQuotaMb({ dynoSize: size }) };
  } catch (error) {
    return { quotaMb: DEFAULT_QUOTA_MB, problem: `${(error as Error).message}; assuming ${DEFAULT_QUOTA_MB} MB` };
  }
}

export interface JobMemoryWatch {
  /** Stops sampling and, on a dyno, logs the run's peak against the quota. */
  stop(): void;
}

/**
 * On a Heroku dyno, logs this process's memory every `intervalMs` and warns once it passes 85% of
 * the quota — before R14 (swapping) and R15 (killed at twice the quota) show in the logs without a
 * cause. Off a dyno it stays quiet unless `N2K_DYNO_MEMORY_MB` is set (then only the warning) or
 * `N2K_DEBUG` (samples too).
 */
export function startJobMemoryWatch(
  env: Record<string, string | undefined>,
  note: (line: string) => void,
  options: { intervalMs?: number; dyno?: DynoInfo } = {},
): JobMemoryWatch {
  const dyno = options.dyno ?? dynoInfo(env);
  const onDyno = dyno.kind !== 'local';
  if (!onDyno && !env.N2K_DYNO_MEMORY_MB && !env.N2K_DEBUG) return { stop: () => {} };
  const { quotaMb, problem } = dynoQuotaMb(env);
  if (problem) note(`warning: ${problem}`);
  const samples = onDyno || Boolean(env.N2K_DEBUG);
  const watch = watchMemory({
    quotaMb,
    intervalMs: options.intervalMs ?? 20_000,
    onSample: samples ? (s) => note(`memory: ${s.rssMb} MB of ${s.quotaMb} MB`) : undefined,
    onWarning: (s) =>
      note(
        `warning: memory ${s.rssMb} MB is ${Math.round(s.ratio * 100)}% of the dyno's ${s.quotaMb} MB: Heroku reports R14 above it and stops the dyno at twice it (R15); use a larger dyno (N2K_DYNO_MEMORY_MB) or fewer articles`,
      ),
  });
  // At once, not only after the first interval: a short run is over before it.
  watch.sample();
  return {
    stop() {
      watch.stop();
      if (samples) note(`memory: peak ${Math.round(process.resourceUsage().maxRSS / 1024)} MB of ${quotaMb} MB`);
    },
  };
}
