import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, withoutMail } from './config.js';
import { EXAMPLES_FEEDS } from './feeds-file.js';
import { memoryIo } from './memory-io.js';

const feeds = { path: '/srv/news/feeds.txt', origin: 'flag' as const };

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { problems: Array<{ setting: string; source?: string; expected: string; received?: string }> })
      .problems;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it("maps the original script's variables and ours, flags on top", () => {
    const { io } = memoryIo({
      cwd: '/home/me',
      env: {
        EMAIL_SMTP: 'smtp.example.org',
        EMAIL_SMTP_PORT: '465',
        SMTP_SECURE: 'true',
        EMAIL_USER: 'me@example.org',
        EMAIL_PASSWORD: 'pw',
        EMAIL_FROM: 'me@example.org',
        KINDLE_EMAIL: 'a@kindle.com, b@kindle.com',
        UPDATE_PERIOD: '12',
        N2K_DEVICE: 'oasis',
        N2K_OUTBOX: 'mail-out',
      },
    });
    const { config, examplesWindow } = loadConfig(io, feeds, { device: 'scribe', maxPerFeed: 5, images: false });
    expect(config.smtp).toMatchObject({
      host: 'smtp.example.org',
      port: 465,
      secure: true,
      auth: { user: 'me@example.org' },
    });
    expect(config.to).toEqual(['a@kindle.com', 'b@kindle.com']);
    expect(config.since).toBe(12 * 3_600_000);
    expect(config.device).toBe('scribe');
    expect(config.maxPerFeed).toBe(5);
    expect(config.images).toBe(false);
    expect(config.outbox).toBe('/home/me/mail-out');
    expect(config.feeds).toBe('/srv/news/feeds.txt');
    expect(config.dataDir).toBe('/srv/news/.news2kindle');
    expect(examplesWindow).toBeUndefined();
  });

  it('resolves --outbox and --data-dir against the working directory', () => {
    const { io } = memoryIo({ cwd: '/work', env: { N2K_DATA_DIR: 'ignored' } });
    const { config } = loadConfig(io, feeds, { outbox: 'o', dataDir: 'state', dryRun: true });
    expect(config.outbox).toBe('/work/o');
    expect(config.dataDir).toBe('/work/state');
    expect(config.dryRun).toBe(true);
  });

  it('lists every problem at once, naming the variable or the flag', () => {
    const { io } = memoryIo({
      env: { N2K_FORMAT: 'pdf', KINDLE_EMAIL: 'not-an-address', SMTP_URL: 'smtp://u:p@h:587' },
    });
    const problems = problemsOf(() => loadConfig(io, feeds, { device: 'kindle2' }));
    expect(problems).toContainEqual(
      expect.objectContaining({ setting: 'format', source: 'N2K_FORMAT', received: '"pdf"' }),
    );
    expect(problems).toContainEqual(expect.objectContaining({ setting: 'device', source: '--device' }));
    expect(problems.some((p) => p.source === 'KINDLE_EMAIL')).toBe(true);
    expect(problems.some((p) => p.setting === 'from')).toBe(true);
  });

  it('widens the window for the dated bundled examples unless a window was chosen', () => {
    const examples = { path: EXAMPLES_FEEDS, origin: 'examples' as const };
    const now = Date.UTC(2027, 0, 1);
    const { config, examplesWindow } = loadConfig(memoryIo().io, examples, {}, now);
    expect(examplesWindow).toMatch(/^\d+d$/);
    expect(config.since).toBeGreaterThan(now - Date.UTC(2026, 10, 25));
    expect(config.retentionDays * 86_400_000).toBeGreaterThan(config.since);
    expect(config.dataDir).toBe(join(EXAMPLES_FEEDS, '..', '.news2kindle'));
    expect(config.language).toBe('en');
    const chosen = loadConfig(memoryIo().io, examples, { since: '2h' }, now);
    expect(chosen.examplesWindow).toBeUndefined();
    expect(chosen.config.since).toBe(2 * 3_600_000);
  });
});

describe('withoutMail', () => {
  it('drops every mail setting and keeps the rest', () => {
    expect(
      withoutMail({
        SMTP_URL: 'smtp://a:b@h',
        EMAIL_SMTP: 'h',
        EMAIL_FROM: 'a@b.c',
        KINDLE_EMAIL: 'k@kindle.com',
        SENDGRID_API_KEY: 'x',
        N2K_DEVICE: 'oasis',
        PATH: '/bin',
      }),
    ).toEqual({ N2K_DEVICE: 'oasis', PATH: '/bin' });
  });
});
