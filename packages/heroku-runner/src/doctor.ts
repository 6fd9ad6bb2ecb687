import { type ParsedDockerfile, parseArg } from './dockerfile.js';
import {
  type DeployModel,
  type Finding,
  type ProcessSpec,
  jsonLine,
  processesOf,
  readDeployModel,
} from './doctor-model.js';

export type { Finding, Severity } from './doctor-model.js';

export interface DoctorOptions {
  /** Config vars to check besides the files' own (e.g. `process.env` on a dyno); only SMTP ports and converters are read. */
  env?: Record<string, string | undefined>;
  /** Commands that run once and exit (jobs). Default: `send`, `deliver`, `--once`, `run-once`, `migrate`, `seed`. */
  jobCommands?: RegExp[];
}

const DEFAULT_JOB_COMMANDS = [/\bsend\b/, /\bdeliver\b/, /--once\b/, /\brun-once\b/, /\bmigrate\b/, /\bseed\b/];

/**
 * Reads the deployment files of a repository (heroku.yml, Procfile, app.json, the Dockerfiles and
 * an Aptfile) and reports the traps that break a Heroku app after a successful deploy.
 * An empty array means nothing was found. Throws `DoctorError` only when `dir` cannot be read.
 */
export async function doctor(dir: string, options: DoctorOptions = {}): Promise<Finding[]> {
  const model = await readDeployModel(dir, options.env ?? {});
  const processes = processesOf(model);
  const findings = [...model.findings];
  const checks = [
    checkWebImage,
    checkContainerManifest,
    checkRestartLoop,
    checkEntrypoint,
    checkShellCmd,
    checkWebPort,
    checkSmtpPort,
    checkCalibre,
    checkAddons,
  ];
  for (const check of checks) findings.push(...check(model, processes, options));
  return findings;
}

type Check = (model: DeployModel, processes: ProcessSpec[], options: DoctorOptions) => Finding[];

const at = (file: string, line: number | undefined) => ({ file, ...(line ? { line } : {}) });

const checkWebImage: Check = (model) => {
  const yml = model.herokuYml;
  if (!yml || model.images.size === 0 || model.images.has('web')) return [];
  const types = [...model.images.keys()].join(', ');
  return [
    {
      code: 'NO_WEB_IMAGE',
      severity: 'error',
      ...at('heroku.yml', yml.line(['build', 'docker'])),
      message: `heroku.yml builds only ${types}: with no web image, Heroku Scheduler jobs and \`heroku run\` have no image to run (heroku run appears to hang).`,
      fix: 'Build one image as `web` (build.docker.web: Dockerfile) that contains both the web process and the job commands.',
    },
  ];
};

const checkContainerManifest: Check = (model) => {
  const app = model.appJson;
  if (!app || model.herokuYml) return [];
  if (app.data.stack !== 'container') return [];
  return [
    {
      code: 'HEROKU_YML_MISSING',
      severity: 'error',
      ...at('app.json', jsonLine(app.text, '"stack"')),
      message: 'app.json selects the container stack, which builds from heroku.yml, but there is no heroku.yml.',
      fix: 'Add heroku.yml (build.docker.web: Dockerfile), or drop "stack" to deploy with buildpacks and the Procfile.',
    },
  ];
};

const checkRestartLoop: Check = (_model, processes, options) => {
  const jobs = options.jobCommands ?? DEFAULT_JOB_COMMANDS;
  const out: Finding[] = [];
  for (const proc of processes) {
    if (proc.type === 'release') continue;
    const isJob = jobs.some((re) => re.test(proc.command));
    if (!isJob && proc.type === 'web') continue;
    out.push({
      code: 'RESTART_LOOP',
      severity: isJob ? 'error' : 'warning',
      ...at(proc.file, proc.line),
      message: isJob
        ? `The ${proc.type} process runs \`${proc.command}\`, a command that finishes: formation dynos are restarted whenever they exit (exit 0 included), so it runs again and again.`
        : `The ${proc.type} process \`${proc.command}\` is restarted whenever it exits (exit 0 included); if it does its work once and exits, it loops.`,
      fix: 'Run one-shot work as a one-off dyno: Heroku Scheduler (heroku addons:open scheduler) or `heroku run`, not as a formation process.',
    });
  }
  return out;
};

const checkEntrypoint: Check = (model) => {
  const out: Finding[] = [];
  for (const [type, image] of model.images) {
    const entry = image.parsed.stages.at(-1)?.instructions.find((i) => i.keyword === 'ENTRYPOINT');
    if (!entry) continue;
    out.push({
      code: 'ENTRYPOINT',
      severity: 'error',
      ...at(image.file, entry.line),
      message: `The ${type} image sets ENTRYPOINT ${entry.args}: Heroku Scheduler and \`heroku run\` commands become its arguments instead of running.`,
      fix: 'Remove ENTRYPOINT and put the default command in an exec-form CMD (CMD ["node", "server.js"]).',
    });
  }
  return out;
};

const checkShellCmd: Check = (model, processes) => {
  const out: Finding[] = [];
  for (const [type, image] of model.images) {
    const cmd = image.parsed.stages
      .at(-1)
      ?.instructions.filter((i) => i.keyword === 'CMD')
      .at(-1);
    if (!cmd || cmd.exec || /^exec\s/.test(cmd.args)) continue;
    const used = processes.some((p) => p.fromCmd && p.type === type);
    out.push({
      code: 'SHELL_FORM_CMD',
      severity: used ? 'error' : 'warning',
      ...at(image.file, cmd.line),
      message: `CMD ${cmd.args} is in shell form: it runs under /bin/sh -c, which may not pass SIGTERM on, so the process is killed 30 s later (R12) instead of shutting down.`,
      fix: `Use the exec form, CMD ${JSON.stringify(cmd.args.split(/\s+/))}, or start the command with \`exec\`.`,
    });
  }
  return out;
};

const FIXED_PORT = [
  /(?:^|\s)(?:-p|--port)(?:=|\s+)(\d{2,5})\b/,
  /\bPORT=(\d{2,5})\b/,
  /(?:0\.0\.0\.0|localhost|127\.0\.0\.1|\*):(\d{2,5})\b/,
  /http\.server\s+(\d{2,5})\b/,
];
const LOCAL_HOST = /(?:--host|--bind|-b|-H)(?:=|\s+)(?:localhost|127\.0\.0\.1)\b/;

const checkWebPort: Check = (_model, processes) => {
  const out: Finding[] = [];
  for (const proc of processes) {
    if (proc.type !== 'web') continue;
    const fixed = FIXED_PORT.map((re) => re.exec(proc.command)?.[1]).find(Boolean);
    const local = LOCAL_HOST.test(proc.command);
    if (!fixed && !local) continue;
    out.push({
      code: 'WEB_PORT',
      severity: 'error',
      ...at(proc.file, proc.line),
      message: fixed
        ? `The web process binds port ${fixed}, but Heroku routes to the port in $PORT; the dyno fails its boot check (R10) after 60 s.`
        : "The web process binds localhost, which Heroku's router cannot reach; the dyno fails its boot check (R10).",
      fix: 'Bind 0.0.0.0 and the port from the PORT environment variable (e.g. `--port $PORT`, or read process.env.PORT).',
    });
  }
  return out;
};

const checkSmtpPort: Check = (model) => {
  const out: Finding[] = [];
  for (const item of model.config) {
    if (!/SMTP|MAIL/i.test(item.name)) continue;
    const direct = /PORT/i.test(item.name) && item.value.trim() === '25';
    const inUrl = /^smtps?:\/\/[^/]*:25(?:[/?#]|$)/i.test(item.value.trim());
    if (!direct && !inUrl) continue;
    out.push({
      code: 'SMTP_PORT_25',
      severity: 'error',
      ...at(item.file, item.line),
      message: `${item.name} uses SMTP port 25, which Heroku blocks for outbound mail: sending would time out.`,
      fix: 'Use port 587 (STARTTLS) or 465 (implicit TLS), as your mail provider documents.',
    });
  }
  return out;
};

const NEEDS_CALIBRE = (name: string, value: string) =>
  /calibre|ebook-convert/i.test(value) || (/FORMAT|CONVERT/i.test(name) && /^(mobi|azw3?|pdf)$/i.test(value.trim()));

const checkCalibre: Check = (model) => {
  const need = model.config.find((item) => NEEDS_CALIBRE(item.name, item.value));
  if (!need) return [];
  const out: Finding[] = [];
  const buildConfig = (model.herokuYml?.data.build as { config?: Record<string, unknown> } | undefined)?.config ?? {};
  const web = model.images.get('web') ?? [...model.images.values()][0];
  if (web && !imageHasCalibre(web.parsed, buildConfig)) {
    out.push({
      code: 'CALIBRE_MISSING',
      severity: 'error',
      ...at(web.file, web.parsed.stages.at(-1)?.line),
      message: `${need.name}=${need.value} needs calibre's ebook-convert, but the image built from ${web.file} does not install calibre.`,
      fix: 'Install calibre in the final stage, e.g. set the build argument in heroku.yml (build: config: WITH_CALIBRE: "true"), or deliver EPUB.',
    });
  }
  const buildpackOnly = model.procfile && !model.herokuYml;
  if (buildpackOnly && !/\bcalibre\b/.test(model.aptfile ?? '')) {
    out.push({
      code: 'CALIBRE_MISSING',
      severity: 'error',
      ...at('Procfile', undefined),
      message: `${need.name}=${need.value} needs calibre's ebook-convert, which the Node.js buildpack does not provide.`,
      fix: 'Deploy with the container stack (heroku.yml) and calibre in the image, or deliver EPUB.',
    });
  }
  return out;
};

function imageHasCalibre(parsed: ParsedDockerfile, buildConfig: Record<string, unknown>): boolean {
  const stage = parsed.stages.at(-1);
  if (!stage) return false;
  if (/calibre/i.test(stage.from)) return true;
  const args: Record<string, string | undefined> = { ...parsed.globalArgs };
  for (const ins of stage.instructions) {
    if (ins.keyword === 'ARG') {
      for (const [name, value] of Object.entries(parseArg(ins.args))) args[name] = value ?? args[name];
    }
    if (ins.keyword !== 'RUN' || !/\bcalibre\b/.test(ins.args)) continue;
    // Installed only when a build argument says so: take heroku.yml's build.config value, else the default.
    const gate = Object.keys(args).find((name) => new RegExp(`\\$\\{?${name}\\b`).test(ins.args));
    if (!gate) return true;
    const value = String(buildConfig[gate] ?? args[gate] ?? '').toLowerCase();
    if (['1', 'true', 'yes'].includes(value)) return true;
  }
  return false;
}

const hasAddon = (model: DeployModel, service: string) => model.addons.some((plan) => plan.split(':')[0] === service);

const checkAddons: Check = (model, processes) => {
  if (!model.declaresAddons) return [];
  const out: Finding[] = [];
  const where = model.appJson
    ? at('app.json', jsonLine(model.appJson.text, '"addons"'))
    : at('heroku.yml', model.herokuYml?.line(['setup', 'addons']));
  const schedule = model.config.find(
    (item) => item.file !== '(environment)' && /SCHEDULE|UPDATE_PERIOD|CRON/i.test(item.name),
  );
  if (schedule && !hasAddon(model, 'scheduler')) {
    out.push({
      code: 'MISSING_SCHEDULER',
      severity: 'error',
      ...where,
      message: `${schedule.name} configures scheduled runs, but no Heroku Scheduler add-on is declared, so nothing will start them.`,
      fix: 'Add "scheduler:standard" to the add-ons, then create the job with `heroku addons:open scheduler`.',
    });
  }
  const wantsDb = model.config.find(
    (item) =>
      item.file !== '(environment)' &&
      (item.name === 'DATABASE_URL' || (/STORE/i.test(item.name) && /postgres/i.test(item.value))),
  );
  const sharesState = hasAddon(model, 'scheduler') && processes.some((p) => p.type === 'web');
  if ((wantsDb || sharesState) && !hasAddon(model, 'heroku-postgresql')) {
    out.push({
      code: 'MISSING_POSTGRES',
      severity: 'error',
      ...where,
      message: wantsDb
        ? `${wantsDb.name} expects a PostgreSQL database, but no heroku-postgresql add-on is declared.`
        : 'Scheduled one-off dynos and the web dyno share no disk, but no heroku-postgresql add-on is declared to keep state between them.',
      fix: 'Add "heroku-postgresql:essential-0" to the add-ons (it sets DATABASE_URL).',
    });
  }
  return out;
};
