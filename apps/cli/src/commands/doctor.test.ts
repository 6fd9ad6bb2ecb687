import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSmtpServer } from '@news2kindle/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { checkMemory } from './doctor.js';
import { memoryIo } from '../memory-io.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'n2k-doctor-'));
  await writeFile(join(dir, 'feeds.txt'), 'https://example.org/feed.xml\n');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('doctor', () => {
  it('reports the outbox fallback as a warning and passes with no deployment files', async () => {
    const t = memoryIo({ cwd: dir, env: {} });
    expect(await main(['doctor'], t.io)).toBe(0);
    expect(t.stdout()).toMatch(/✓ feeds +1 feed\(s\)/);
    expect(t.stdout()).toMatch(/! mail +no SMTP server configured/);
    expect(t.stdout()).toMatch(/- deployment +no Heroku files/);
  });

  it('fails without SMTP on a Heroku dyno, where the outbox disappears', async () => {
    const t = memoryIo({ cwd: dir, env: { DYNO: 'scheduler.4821' } });
    expect(await main(['doctor'], t.io)).toBe(1);
    expect(t.stdout()).toMatch(/✗ mail +no SMTP server configured.*Heroku dyno scheduler\.4821/);
  });

  it('fails on an SMTP server it cannot log in to, never printing the password', async () => {
    const smtp = await startSmtpServer({ tls: 'none', auth: { user: 'me', pass: 'right' } });
    try {
      const env = {
        SMTP_URL: `smtp://me:Sup3rSecret@127.0.0.1:${smtp.port}`,
        KINDLE_EMAIL: 'me@kindle.com',
        EMAIL_FROM: 'me@example.org',
      };
      const t = memoryIo({ cwd: dir, env });
      expect(await main(['doctor', '--json'], t.io)).toBe(1);
      const report = JSON.parse(t.stdout());
      expect(report.ok).toBe(false);
      expect(report.checks).toContainEqual(expect.objectContaining({ check: 'mail', status: 'fail' }));
      expect(t.stdout() + t.stderr()).not.toContain('Sup3rSecret');
      expect(t.stdout()).toContain(`127.0.0.1:${smtp.port}`);
    } finally {
      await smtp.close();
    }
  });

  it("runs heroku-runner's doctor on the deployment files in DIR", async () => {
    const app = join(dir, 'app');
    await import('node:fs/promises').then((fs) => fs.mkdir(app));
    await writeFile(join(app, 'heroku.yml'), 'build:\n  docker:\n    worker: Dockerfile\n');
    await writeFile(join(app, 'Dockerfile'), 'FROM node:20-slim\nCMD ["node", "dist/job.js"]\n');
    const t = memoryIo({ cwd: dir, env: {} });
    expect(await main(['doctor', 'app'], t.io)).toBe(1);
    expect(t.stdout()).toMatch(/✗ deployment +heroku\.yml:\d+ NO_WEB_IMAGE/);
    expect(t.stdout()).toContain('Problems found.');
  });

  it('exits 2 when the feeds file is broken', async () => {
    await writeFile(join(dir, 'feeds.txt'), 'https://example.org/feed.xml max=zero\n');
    const t = memoryIo({ cwd: dir, env: {} });
    expect(await main(['doctor'], t.io)).toBe(2);
    expect(t.stdout()).toMatch(/✗ feeds .*line 1/);
  });

  it('reports how send gets its memory settings, and warns where they cost a second process', async () => {
    const t = memoryIo({ cwd: dir, env: {} });
    await main(['doctor'], t.io);
    expect(t.stdout()).toMatch(/✓ memory +send and build start themselves again with MALLOC_ARENA_MAX=2/);

    expect(checkMemory({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', DYNO: 'run.1' })).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/in the environment; R14 warning at 85% of 512 MB$/),
    });
    expect(checkMemory({ DYNO: 'scheduler.2', N2K_DYNO_MEMORY_MB: '1024' })).toMatchObject({
      status: 'warn',
      detail: expect.stringMatching(/not set on dyno scheduler\.2: .*second Node process.*1024 MB/),
      fix: expect.stringContaining('heroku config:set MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072'),
    });
    expect(checkMemory({ N2K_NO_REEXEC: '1' })).toMatchObject({ status: 'warn' });
    expect(checkMemory({ DYNO: 'run.1', N2K_DYNO_SIZE: 'mega' })).toMatchObject({ status: 'warn', detail: /mega/ });
  });
});
