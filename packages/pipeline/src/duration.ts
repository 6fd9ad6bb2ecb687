const UNITS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * Parses a window such as `24h`, `90m`, `2d`, `1w` or `1d12h` into milliseconds; a bare number
 * means hours (the original script's UPDATE_PERIOD). Undefined when it is not a duration.
 */
export function parseDuration(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text > 0 ? text * UNITS.h! : undefined;
  const value = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(value)) return parseDuration(Number(value));
  if (!/^(\d+(\.\d+)?\s*[smhdw]\s*)+$/.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(/(\d+(?:\.\d+)?)\s*([smhdw])/g)) {
    total += Number(amount) * UNITS[unit as string]!;
  }
  return total > 0 ? Math.round(total) : undefined;
}

/** `86400000` → `24h`, for reports. */
export function formatDuration(ms: number): string {
  if (ms % UNITS.d! === 0) return `${ms / UNITS.d!}d`;
  if (ms % UNITS.h! === 0) return `${ms / UNITS.h!}h`;
  if (ms % UNITS.m! === 0) return `${ms / UNITS.m!}m`;
  return `${Math.round(ms / 1000)}s`;
}
