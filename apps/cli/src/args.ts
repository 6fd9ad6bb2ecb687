import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './exit-codes.js';

export type FullText = 'auto' | 'always' | 'never';
export type Format = 'epub' | 'azw3' | 'mobi';

/** What goes into the book: shared by `send` and `build`. Unset fields fall back to the environment. */
export interface Selection {
  feeds?: string;
  since?: string;
  maxPerFeed?: number;
  fullText?: FullText;
  device?: string;
  format?: Format;
  /** false with `--no-images`; undefined leaves the configured default. */
  images?: boolean;
}

export interface SendOptions extends Selection {
  dryRun: boolean;
  json: boolean;
  outbox?: string;
  dataDir?: string;
}

export interface BuildOptions extends Selection {
  out: string;
  json: boolean;
}

/** A parsed command line: which command to run and its typed options. */
export type Command =
  | { name: 'help'; topic?: string }
  | { name: 'version' }
  | { name: 'send'; options: SendOptions }
  | { name: 'build'; options: BuildOptions }
  | { name: 'feeds check'; options: { feeds?: string; json: boolean } }
  | { name: 'feeds import'; options: { file: string; out?: string } }
  | { name: 'feeds export'; options: { feeds?: string; out?: string } }
  | { name: 'doctor'; options: { dir: string; feeds?: string; json: boolean } };

type Options = NonNullable<ParseArgsConfig['options']>;

const help: Options = { help: { type: 'boolean', short: 'h' } };
const json: Options = { json: { type: 'boolean' } };
const feeds: Options = { feeds: { type: 'string', short: 'f' } };
const selection: Options = {
  ...feeds,
  since: { type: 'string' },
  'max-per-feed': { type: 'string' },
  'full-text': { type: 'string' },
  device: { type: 'string' },
  format: { type: 'string' },
  images: { type: 'boolean' },
  'no-images': { type: 'boolean' },
};

/** Parses `argv` (without node and the script) into a command; throws {@link UsageError}. */
export function parseCommand(argv: string[]): Command {
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help') return { name: 'help' };
  if (first === 'help') return { name: 'help', topic: rest.join(' ') || undefined };
  if (first === '-v' || first === '--version') return { name: 'version' };
  switch (first) {
    case 'send':
      return parseSend(rest);
    case 'build':
      return parseBuild(rest);
    case 'feeds':
      return parseFeeds(rest);
    case 'doctor':
      return parseDoctor(rest);
    default:
      throw new UsageError(
        first.startsWith('-')
          ? `unknown option ${first}: options come after the command, e.g. news2kindle send ${first}`
          : `unknown command "${first}": expected send, build, feeds or doctor`,
      );
  }
}

function parse(command: string, args: string[], options: Options, positionals = 0) {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options: { ...help, ...options }, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(describeParseError(error), command, { cause: error });
  }
  if (!parsed.values.help && parsed.positionals.length > positionals) {
    const extra = parsed.positionals.slice(positionals).join(' ');
    throw new UsageError(`unexpected argument "${extra}"`, command);
  }
  return parsed;
}

/** Node's parseArgs messages carry advice meant for programmers; keep the part users need. */
function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const option = /'(?:-\w, )?(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) {
    return /argument missing/.test(message) ? `${option} needs a value` : `${option} takes no value`;
  }
  return message.split('. ')[0] ?? message;
}

type Values = ReturnType<typeof parseArgs>['values'];

const str = (values: Values, key: string) => {
  const value = values[key];
  return typeof value === 'string' ? value : undefined;
};

function oneOf<T extends string>(command: string, flag: string, value: string | undefined, allowed: readonly T[]) {
  if (value === undefined) return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} ${value}: expected ${allowed.join(', ')}`, command);
}

function positiveInt(command: string, flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) {
    throw new UsageError(`--${flag} ${value}: expected a whole number of 1 or more, e.g. --${flag} 10`, command);
  }
  return Number(value);
}

/** The pipeline's duration grammar: `90m`, `24h`, `2d`, `1w`, `1d12h`, or a bare number of hours. */
const SINCE = /^(\d+(\.\d+)?|(\d+(\.\d+)?\s*[smhdw]\s*)+)$/i;

function readSelection(command: string, values: Values): Selection {
  const since = str(values, 'since');
  if (since !== undefined && !SINCE.test(since.trim())) {
    throw new UsageError(
      `--since ${since}: expected a duration such as 90m, 24h, 2d or 1w (a bare number is hours)`,
      command,
    );
  }
  if (values.images && values['no-images'])
    throw new UsageError('--images and --no-images contradict each other', command);
  const device = str(values, 'device');
  if (device !== undefined && !/^[a-z][a-z0-9-]*$/i.test(device)) {
    throw new UsageError(`--device ${device}: expected a device name such as paperwhite, oasis or scribe`, command);
  }
  return {
    feeds: str(values, 'feeds'),
    since: since?.trim(),
    maxPerFeed: positiveInt(command, 'max-per-feed', str(values, 'max-per-feed')),
    fullText: oneOf(command, 'full-text', str(values, 'full-text'), ['auto', 'always', 'never'] as const),
    device: device?.toLowerCase(),
    format: oneOf(command, 'format', str(values, 'format'), ['epub', 'azw3', 'mobi'] as const),
    images: values['no-images'] ? false : values.images ? true : undefined,
  };
}

const strip = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function parseSend(args: string[]): Command {
  const { values } = parse('send', args, {
    ...selection,
    ...json,
    'dry-run': { type: 'boolean', short: 'n' },
    outbox: { type: 'string' },
    'data-dir': { type: 'string' },
  });
  if (values.help) return { name: 'help', topic: 'send' };
  return {
    name: 'send',
    options: strip({
      ...readSelection('send', values),
      dryRun: values['dry-run'] === true,
      json: values.json === true,
      outbox: str(values, 'outbox'),
      dataDir: str(values, 'data-dir'),
    }),
  };
}

function parseBuild(args: string[]): Command {
  const { values } = parse('build', args, { ...selection, ...json, out: { type: 'string', short: 'o' } });
  if (values.help) return { name: 'help', topic: 'build' };
  const out = str(values, 'out');
  if (!out) throw new UsageError('--out FILE is required: where to write the book, e.g. --out today.epub', 'build');
  return { name: 'build', options: strip({ ...readSelection('build', values), out, json: values.json === true }) };
}

function parseFeeds(args: string[]): Command {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '-h' || sub === '--help') return { name: 'help', topic: 'feeds' };
  switch (sub) {
    case 'check': {
      const { values } = parse('feeds check', rest, { ...feeds, ...json });
      if (values.help) return { name: 'help', topic: 'feeds check' };
      return { name: 'feeds check', options: strip({ feeds: str(values, 'feeds'), json: values.json === true }) };
    }
    case 'import': {
      const { values, positionals } = parse('feeds import', rest, { out: { type: 'string', short: 'o' } }, 1);
      if (values.help) return { name: 'help', topic: 'feeds import' };
      const file = positionals[0];
      if (!file)
        throw new UsageError(
          'feeds import needs the OPML file to read, e.g. feeds import subscriptions.opml',
          'feeds import',
        );
      return { name: 'feeds import', options: strip({ file, out: str(values, 'out') }) };
    }
    case 'export': {
      const { values } = parse('feeds export', rest, { ...feeds, out: { type: 'string', short: 'o' } });
      if (values.help) return { name: 'help', topic: 'feeds export' };
      return { name: 'feeds export', options: strip({ feeds: str(values, 'feeds'), out: str(values, 'out') }) };
    }
    default:
      throw new UsageError(`unknown feeds command "${sub}": expected check, import or export`, 'feeds');
  }
}

function parseDoctor(args: string[]): Command {
  const { values, positionals } = parse('doctor', args, { ...feeds, ...json }, 1);
  if (values.help) return { name: 'help', topic: 'doctor' };
  return {
    name: 'doctor',
    options: strip({ dir: positionals[0] ?? '.', feeds: str(values, 'feeds'), json: values.json === true }),
  };
}
