import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { doctor, parseDockerfile, parseProcfile } from '@news2kindle/heroku-runner';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './test-process.js';

// No Docker engine here: the Dockerfile is checked statically; its commands are the ones the
// other tests run outside Docker (build, then `node apps/heroku/dist/web.js`).
const read = (file: string) => readFileSync(join(REPO_ROOT, file), 'utf8');
const WEB_COMMAND = 'node apps/heroku/dist/web.js';

describe('the repository deployment files', () => {
  it('pass doctor with no findings', async () => {
    expect(await doctor(REPO_ROOT)).toEqual([]);
  });

  it('heroku.yml builds only a web image and runs the web process; no formation job', () => {
    const yml = parse(read('heroku.yml'));
    expect(Object.keys(yml.build.docker)).toEqual(['web']);
    expect(Object.keys(yml.run)).toEqual(['web']);
    expect(yml.run.web).toBe(`exec ${WEB_COMMAND}`);
    expect(yml.build.config.WITH_CALIBRE).toBe('false');
    expect(yml.setup.addons.map((a: { plan: string }) => a.plan.split(':')[0]).sort()).toEqual([
      'heroku-postgresql',
      'scheduler',
    ]);
  });

  it('the Dockerfile is multi-stage, exec-form CMD, no ENTRYPOINT, calibre behind WITH_CALIBRE=false, pinned pnpm', () => {
    const text = read('Dockerfile');
    const docker = parseDockerfile(text);
    expect(docker.stages.length).toBeGreaterThanOrEqual(2);
    const final = docker.stages.at(-1)!;
    const all = docker.stages.flatMap((s) => s.instructions);
    expect(all.filter((i) => i.keyword === 'ENTRYPOINT')).toEqual([]);
    const cmd = final.instructions.filter((i) => i.keyword === 'CMD');
    expect(cmd.map((i) => i.exec)).toEqual([WEB_COMMAND.split(' ')]);
    expect(final.instructions.find((i) => i.keyword === 'ARG')?.args).toBe('WITH_CALIBRE=false');
    const calibre = final.instructions.filter((i) => /calibre/.test(i.args) && i.keyword === 'RUN');
    expect(calibre).toHaveLength(1);
    expect(calibre[0]?.args).toContain('"$WITH_CALIBRE" = "true"');
    const pkg = JSON.parse(read('package.json')) as { packageManager: string };
    expect(text).toContain(`npm install -g --allow-scripts=pnpm ${pkg.packageManager}`);
    expect(text).not.toMatch(/^RUN .*corepack/m);
    expect(text).toContain('--frozen-lockfile');
    for (const from of docker.stages) expect(from.from).toMatch(/^node:\$\{NODE_VERSION\}-bookworm-slim$/);
    expect(docker.globalArgs.NODE_VERSION).toBe('20');
  });

  it('.dockerignore keeps local installs, builds and secrets out of the build context', () => {
    const lines = read('.dockerignore').split('\n');
    for (const entry of ['**/node_modules', '**/dist', '.env', '.git']) expect(lines).toContain(entry);
  });

  it('the Procfile runs the same web command (buildpack path) and nothing else', () => {
    const entries = parseProcfile(read('Procfile'));
    expect(entries.map((e) => [e.type, e.command])).toEqual([['web', `exec ${WEB_COMMAND}`]]);
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build ?? pkg.scripts['heroku-postbuild']).toBeTruthy();
    expect(existsSync(join(REPO_ROOT, 'pnpm-lock.yaml'))).toBe(true);
  });

  it('app.json declares Scheduler and Postgres, describes every variable, generates the trigger token', () => {
    const app = JSON.parse(read('app.json'));
    expect(app.stack).toBe('container');
    expect(app.addons).toEqual(expect.arrayContaining(['heroku-postgresql:essential-0', 'scheduler:standard']));
    expect(app.formation).toEqual({ web: { quantity: 1, size: 'basic' } });
    for (const [name, spec] of Object.entries(app.env as Record<string, { description?: string }>)) {
      expect(spec.description?.length, name).toBeGreaterThan(20);
    }
    expect(app.env.N2K_TRIGGER_TOKEN.generator).toBe('secret');
    expect(app.env.SMTP_URL.description).toMatch(/587/);
  });

  it('the image and app.json start every process with the memory settings the CLI would re-execute for', () => {
    // The CLI re-executes itself without them (apps/cli README, "Memory"); set here, no second process runs.
    const memory = {
      MALLOC_ARENA_MAX: '2',
      MALLOC_MMAP_THRESHOLD_: '131072',
      NODE_OPTIONS: '--max-semi-space-size=1',
    };
    const final = parseDockerfile(read('Dockerfile')).stages.at(-1)!;
    const env = Object.fromEntries(
      final.instructions
        .filter((i) => i.keyword === 'ENV')
        .flatMap((i) => [...i.args.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]])),
    );
    expect(env).toMatchObject(memory);
    const app = JSON.parse(read('app.json')) as { env: Record<string, { value?: string }> };
    for (const [name, value] of Object.entries(memory)) expect(app.env[name]?.value, name).toBe(value);
    expect(app.env.N2K_DYNO_MEMORY_MB).toBeDefined();
  });
});
