import { UnknownDynoSizeError } from './errors.js';

/** Memory quota per dyno size in MB (Heroku swaps above it, R14, and kills at twice it, R15). */
export const DYNO_MEMORY_MB = {
  eco: 512,
  basic: 512,
  'standard-1x': 512,
  'standard-2x': 1024,
  'performance-m': 2560,
  'performance-l': 14336,
} as const;

export type DynoSize = keyof typeof DYNO_MEMORY_MB;

export interface MemorySample {
  rssMb: number;
  quotaMb: number;
  /** rss / quota, 0..∞ */
  ratio: number;
}

export interface WatchMemoryOptions {
  /** The quota in MB; or give `dynoSize`. */
  quotaMb?: number;
  /** The dyno size (see DYNO_MEMORY_MB); used when `quotaMb` is not given. Default `basic` (512 MB). */
  dynoSize?: DynoSize | string;
  /** Sampling period. Default 20 000 ms (Heroku's own memory log period). */
  intervalMs?: number;
  /** Share of the quota at which to warn. Default 0.85. */
  warnRatio?: number;
  /** Every sample (to log RSS periodically). */
  onSample?: (sample: MemorySample) => void;
  /** Once each time RSS climbs past `warnRatio` × quota (again after it fell back below). */
  onWarning?: (sample: MemorySample) => void;
  /** Measures resident memory in bytes. Default `process.memoryUsage.rss`. */
  measure?: () => number;
}

export interface MemoryWatch {
  /** Takes a sample now (also reported to the callbacks). */
  sample(): MemorySample;
  stop(): void;
}

/** Resolves the quota from `quotaMb` or `dynoSize`; throws `UnknownDynoSizeError` for an unknown size. */
export function memoryQuotaMb(options: Pick<WatchMemoryOptions, 'quotaMb' | 'dynoSize'>): number {
  if (options.quotaMb !== undefined && options.quotaMb > 0) return options.quotaMb;
  const size = (options.dynoSize ?? 'basic').toLowerCase();
  const quota = (DYNO_MEMORY_MB as Record<string, number>)[size];
  if (quota === undefined) throw new UnknownDynoSizeError(size, Object.keys(DYNO_MEMORY_MB));
  return quota;
}

/**
 * Samples RSS periodically and warns before the dyno's quota is reached, so a log shows the
 * growth that precedes R14 instead of only the error. The timer never keeps the process alive.
 */
export function watchMemory(options: WatchMemoryOptions = {}): MemoryWatch {
  const quotaMb = memoryQuotaMb(options);
  const warnRatio = options.warnRatio ?? 0.85;
  const measure = options.measure ?? (() => process.memoryUsage.rss());
  let above = false;
  const sample = (): MemorySample => {
    const rssMb = Math.round((measure() / 1024 / 1024) * 10) / 10;
    const current = { rssMb, quotaMb, ratio: rssMb / quotaMb };
    options.onSample?.(current);
    if (current.ratio >= warnRatio) {
      if (!above) options.onWarning?.(current);
      above = true;
    } else {
      above = false;
    }
    return current;
  };
  const timer = setInterval(sample, options.intervalMs ?? 20_000);
  timer.unref();
  return { sample, stop: () => clearInterval(timer) };
}
