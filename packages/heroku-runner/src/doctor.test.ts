import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DoctorError, doctor } from './index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../test/fixtures/${name}`, import.meta.url));
const summary = (findings: Awaited<ReturnType<typeof doctor>>) =>
  findings.map((f) => `${f.code} ${f.severity} ${f.file}:${f.line ?? '-'}`).sort();

describe('doctor on trap fixtures', () => {
  const cases: Array<[string, string[]]> = [
    ['original', ['NO_WEB_IMAGE error heroku.yml:2', 'RESTART_LOOP warning heroku.yml:5']],
    ['worker-job', ['RESTART_LOOP error Procfile:2']],
    ['entrypoint', ['ENTRYPOINT error Dockerfile:4']],
    ['shell-cmd', ['SHELL_FORM_CMD error Dockerfile:9']],
    ['web-port', ['WEB_PORT error Procfile:2']],
    ['smtp-port-25', ['SMTP_PORT_25 error app.json:5']],
    ['calibre-missing', ['CALIBRE_MISSING error Dockerfile:1']],
    ['no-scheduler', ['MISSING_SCHEDULER error app.json:6']],
    ['no-postgres', ['MISSING_POSTGRES error app.json:3']],
    ['container-without-yml', ['HEROKU_YML_MISSING error app.json:3']],
    ['clean', []],
  ];
  it.each(cases)('%s → %j', async (name, expected) => {
    expect(summary(await doctor(fixture(name)))).toEqual(expected);
  });

  it('gives every finding a message and a fix', async () => {
    for (const [name] of cases) {
      for (const finding of await doctor(fixture(name))) {
        expect(finding.message.length, `${name} ${finding.code}`).toBeGreaterThan(20);
        expect(finding.fix.length, `${name} ${finding.code}`).toBeGreaterThan(10);
      }
    }
  });

  it('names the Scheduler and heroku run in the original deployment finding', async () => {
    const [noWeb] = (await doctor(fixture('original'))).filter((f) => f.code === 'NO_WEB_IMAGE');
    expect(noWeb?.message).toContain('worker');
    expect(noWeb?.message).toMatch(/Scheduler/);
    expect(noWeb?.fix).toContain('build.docker.web');
  });

  it('checks config vars passed in env (port 25 in an SMTP URL, calibre needed)', async () => {
    const findings = await doctor(fixture('web-port'), { env: { SMTP_URL: 'smtp://user:pw@mail.example.com:25' } });
    expect(summary(findings)).toContain('SMTP_PORT_25 error (environment):-');
    expect(JSON.stringify(findings)).not.toContain('pw@');
    const ok = await doctor(fixture('clean'), { env: { SMTP_URL: 'smtp://mail.example.com:587', N2K_FORMAT: 'mobi' } });
    expect(ok).toEqual([]);
  });

  it('reports manifests it cannot parse (written here: a broken file would trip the repo linter)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'n2k-doctor-'));
    try {
      writeFileSync(join(dir, 'heroku.yml'), 'build:\n  docker:\n    web: Dockerfile\n  run: [unclosed\n');
      writeFileSync(join(dir, 'app.json'), '{ "name": "x", }');
      expect(summary(await doctor(dir))).toEqual([
        'MANIFEST_INVALID error app.json:-',
        'MANIFEST_INVALID error heroku.yml:5',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('throws DoctorError for a folder that does not exist', async () => {
    await expect(doctor(fixture('no-such-folder'))).rejects.toMatchObject({ code: 'DIR_NOT_FOUND' });
    await expect(doctor(fixture('no-such-folder'))).rejects.toBeInstanceOf(DoctorError);
  });
});
