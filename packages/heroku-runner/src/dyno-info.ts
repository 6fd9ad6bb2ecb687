/** What kind of process this is, as Heroku's dyno manager started it. */
export type DynoKind = 'web' | 'one-off' | 'scheduler' | 'worker' | 'release' | 'local';

export interface DynoInfo {
  kind: DynoKind;
  /** The dyno's name from `DYNO`, e.g. `web.1`, `run.1234`, `scheduler.5678`. */
  name?: string;
  /** The port to bind, from `PORT` (set by Heroku on web dynos only). */
  port?: number;
}

/** Parses a port string; undefined unless it is a whole number in 1..65535. */
export function parsePort(value: string | number | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port >= 1 && port <= 65535 ? port : undefined;
}

// `DYNO` is `<type>.<n>`: formation processes are numbered from 1, one-off dynos carry a long number
// behind `run`, Scheduler's behind `scheduler`, and the release phase runs as `release.<n>`.
/** Which dyno this is, from the environment you pass (usually `process.env`); never reads it itself. */
export function dynoInfo(env: Record<string, string | undefined>): DynoInfo {
  const name = env.DYNO?.trim() || undefined;
  const port = parsePort(env.PORT);
  const info = (kind: DynoKind): DynoInfo => ({
    kind,
    ...(name ? { name } : {}),
    ...(port !== undefined ? { port } : {}),
  });
  if (!name) return info('local');
  const type = name.split('.')[0] ?? '';
  if (type === 'web') return info('web');
  if (type === 'run') return info('one-off');
  if (type === 'scheduler') return info('scheduler');
  if (type === 'release') return info('release');
  return info('worker');
}
