import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

import { type ParsedDockerfile, parseDockerfile } from './dockerfile.js';
import { DoctorError } from './errors.js';
import { type ProcfileEntry, parseProcfile } from './procfile.js';

export type Severity = 'error' | 'warning';

/** One problem `doctor` found, where, and what to do about it. */
export interface Finding {
  /** Stable identifier, e.g. `NO_WEB_IMAGE`. */
  code: string;
  severity: Severity;
  /** The file, relative to the folder checked. */
  file: string;
  line?: number;
  message: string;
  fix: string;
}

/** A process Heroku would run, with the command and where it is written. */
export interface ProcessSpec {
  type: string;
  command: string;
  file: string;
  line?: number;
  /** True when the command comes from a Dockerfile's CMD (no `run` entry for it). */
  fromCmd?: boolean;
  /** The Dockerfile's exec-form array, when the command is an exec-form CMD. */
  exec?: string[];
}

export interface DockerfileInfo {
  file: string;
  parsed: ParsedDockerfile;
}

/** Everything doctor reads from a folder, parsed once. */
export interface DeployModel {
  findings: Finding[];
  herokuYml?: { data: Record<string, unknown>; line(path: string[]): number | undefined };
  procfile?: ProcfileEntry[];
  appJson?: { data: Record<string, unknown>; text: string };
  aptfile?: string;
  /** Dockerfile per container process type (from heroku.yml `build.docker`). */
  images: Map<string, DockerfileInfo>;
  /** Config vars from app.json `env`, heroku.yml `setup.config` and the caller's `env`. */
  config: Array<{ name: string; value: string; file: string; line?: number }>;
  /** Add-on plans declared in app.json and heroku.yml `setup.addons` (e.g. `scheduler:standard`). */
  addons: string[];
  /** Whether add-ons are declared anywhere (if not, missing ones cannot be judged). */
  declaresAddons: boolean;
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

const lineOfOffset = (text: string, offset: number) => text.slice(0, Math.max(0, offset)).split('\n').length;

/** Line of the first `"needle"` in a JSON text (good enough to point a human at it). */
export function jsonLine(text: string, needle: string): number | undefined {
  const index = text.indexOf(needle);
  return index < 0 ? undefined : lineOfOffset(text, index);
}

const asRecord = (value: unknown): Record<string, unknown> | undefined =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;

/** Reads heroku.yml, Procfile, app.json, Aptfile and the Dockerfiles in `dir`. */
export async function readDeployModel(dir: string, env: Record<string, string | undefined> = {}): Promise<DeployModel> {
  try {
    if (!(await stat(dir)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    throw new DoctorError(dir, error);
  }
  const model: DeployModel = { findings: [], images: new Map(), config: [], addons: [], declaresAddons: false };
  const invalid = (file: string, line: number | undefined, message: string, fix: string) =>
    model.findings.push({ code: 'MANIFEST_INVALID', severity: 'error', file, ...(line ? { line } : {}), message, fix });

  const ymlText = await readOptional(join(dir, 'heroku.yml'));
  if (ymlText !== undefined) {
    // Loaded here, not at the top: web processes import this package and never need a YAML parser.
    const { isMap, isScalar, LineCounter, parseDocument } = await import('yaml');
    const counter = new LineCounter();
    const doc = parseDocument(ymlText, { lineCounter: counter });
    const first = doc.errors[0];
    if (first) {
      invalid(
        'heroku.yml',
        first.linePos?.[0]?.line,
        `heroku.yml is not valid YAML: ${first.message}`,
        'Fix the YAML syntax.',
      );
    } else {
      const data = asRecord(doc.toJS()) ?? {};
      const line = (path: string[]): number | undefined => {
        let node: unknown = doc.contents;
        let found: number | undefined;
        for (const segment of path) {
          if (!isMap(node)) return found;
          const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === segment);
          if (!pair) return found;
          const range = isScalar(pair.key) ? pair.key.range : undefined;
          if (range) found = counter.linePos(range[0]).line;
          node = pair.value;
        }
        return found;
      };
      model.herokuYml = { data, line };
    }
  }

  const procText = await readOptional(join(dir, 'Procfile'));
  if (procText !== undefined) model.procfile = parseProcfile(procText);
  model.aptfile = await readOptional(join(dir, 'Aptfile'));

  const appText = await readOptional(join(dir, 'app.json'));
  if (appText !== undefined) {
    try {
      model.appJson = { data: asRecord(JSON.parse(appText)) ?? {}, text: appText };
    } catch (error) {
      invalid('app.json', undefined, `app.json is not valid JSON: ${(error as Error).message}`, 'Fix the JSON syntax.');
    }
  }

  collectConfig(model, env);
  await collectImages(model, dir);
  return model;
}

function collectConfig(model: DeployModel, env: Record<string, string | undefined>): void {
  const app = model.appJson;
  const appEnv = asRecord(app?.data.env) ?? {};
  for (const [name, spec] of Object.entries(appEnv)) {
    const value = typeof spec === 'string' ? spec : asRecord(spec)?.value;
    model.config.push({
      name,
      value: value === undefined ? '' : String(value),
      file: 'app.json',
      line: app ? jsonLine(app.text, `"${name}"`) : undefined,
    });
  }
  const setup = asRecord(model.herokuYml?.data.setup);
  for (const [name, value] of Object.entries(asRecord(setup?.config) ?? {})) {
    model.config.push({
      name,
      value: String(value ?? ''),
      file: 'heroku.yml',
      line: model.herokuYml?.line(['setup', 'config', name]),
    });
  }
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) model.config.push({ name, value, file: '(environment)' });
  }
  const appAddons = app?.data.addons;
  if (Array.isArray(appAddons)) {
    model.declaresAddons = true;
    for (const addon of appAddons) {
      const plan = typeof addon === 'string' ? addon : asRecord(addon)?.plan;
      if (typeof plan === 'string') model.addons.push(plan);
    }
  }
  const ymlAddons = setup?.addons;
  if (Array.isArray(ymlAddons)) {
    model.declaresAddons = true;
    for (const addon of ymlAddons) {
      const plan = typeof addon === 'string' ? addon : asRecord(addon)?.plan;
      if (typeof plan === 'string') model.addons.push(plan);
    }
  }
}

async function collectImages(model: DeployModel, dir: string): Promise<void> {
  const docker = asRecord(asRecord(model.herokuYml?.data.build)?.docker);
  for (const [type, spec] of Object.entries(docker ?? {})) {
    const file = typeof spec === 'string' ? spec : String(asRecord(spec)?.dockerfile ?? 'Dockerfile');
    const text = await readOptional(join(dir, file));
    if (text === undefined) {
      model.findings.push({
        code: 'DOCKERFILE_MISSING',
        severity: 'error',
        file: 'heroku.yml',
        line: model.herokuYml?.line(['build', 'docker', type]),
        message: `heroku.yml builds the ${type} image from ${file}, which does not exist.`,
        fix: `Add ${file} or point build.docker.${type} at the Dockerfile, relative to the repository root.`,
      });
      continue;
    }
    model.images.set(type, { file, parsed: parseDockerfile(text) });
  }
}

/** The processes Heroku would run on the container stack (heroku.yml) and on buildpacks (Procfile). */
export function processesOf(model: DeployModel): ProcessSpec[] {
  const out: ProcessSpec[] = [];
  const yml = model.herokuYml;
  if (yml) {
    const run = asRecord(yml.data.run) ?? {};
    const types = new Set([...model.images.keys(), ...Object.keys(run)]);
    for (const type of types) {
      const entry = run[type];
      const command = typeof entry === 'string' ? entry : asRecord(entry)?.command;
      if (typeof command === 'string' || Array.isArray(command)) {
        const text = Array.isArray(command) ? command.join(' ') : command;
        out.push({ type, command: text, file: 'heroku.yml', line: yml.line(['run', type]) });
        continue;
      }
      const image = model.images.get(type);
      const cmd = image?.parsed.stages
        .at(-1)
        ?.instructions.filter((i) => i.keyword === 'CMD')
        .at(-1);
      if (image && cmd) {
        out.push({
          type,
          command: cmd.exec ? cmd.exec.join(' ') : cmd.args,
          file: image.file,
          line: cmd.line,
          fromCmd: true,
          ...(cmd.exec ? { exec: cmd.exec } : {}),
        });
      }
    }
  }
  for (const entry of model.procfile ?? []) {
    out.push({ type: entry.type, command: entry.command, file: 'Procfile', line: entry.line });
  }
  return out;
}
