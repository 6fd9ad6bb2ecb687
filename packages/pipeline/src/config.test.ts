import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import { configFromEnv } from './config-env.js';
import { ConfigError } from './errors.js';

function problemsOf(input: unknown) {
  try {
    parseConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('fills in defaults', () => {
    const config = parseConfig({ feeds: '/srv/news/feeds.txt' });
    expect(config).toMatchObject({
      title: 'News',
      format: 'epub',
      device: 'paperwhite',
      since: 24 * 3_600_000,
      fullText: 'auto',
      images: true,
      allowEmpty: false,
      dryRun: false,
      maxBytes: 50 * 1024 * 1024,
      to: [],
      outbox: 'outbox',
      dataDir: '/srv/news/.news2kindle',
      sendRetries: 3,
      sendBackoffMs: 2_000,
    });
  });

  it('takes the send retries and back-off, within bounds', () => {
    expect(parseConfig({ feeds: 'f', sendRetries: '0', sendBackoffMs: '50' })).toMatchObject({
      sendRetries: 0,
      sendBackoffMs: 50,
    });
    const error = problemsOf({ feeds: 'f', sendRetries: 11, sendBackoffMs: -1 });
    expect(error.problems.map((p) => p.setting).sort()).toEqual(['sendBackoffMs', 'sendRetries']);
  });

  it('reports every problem at once, naming the setting, what is expected and what was received', () => {
    const error = problemsOf({
      since: 'yesterday',
      maxPerFeed: 0,
      format: 'pdf',
      device: 'kobo',
      images: 'maybe',
      to: ['me@kindle.com', 'not-an-address'],
    });
    expect(error.code).toBe('CONFIG_INVALID');
    const bySetting = Object.fromEntries(error.problems.map((p) => [p.setting, p]));
    expect(Object.keys(bySetting).sort()).toEqual([
      'device',
      'feeds',
      'format',
      'images',
      'maxPerFeed',
      'since',
      'to.1',
    ]);
    expect(bySetting.since).toMatchObject({ expected: expect.stringContaining('24h'), received: '"yesterday"' });
    expect(bySetting.format?.expected).toBe('epub, azw3 or mobi');
    expect(bySetting.device?.expected).toContain('paperwhite');
    expect(bySetting['to.1']?.received).toBe('"not-an-address"');
    expect(bySetting.feeds?.expected).toContain('feeds.txt');
    expect(error.message).toContain('7 problem(s)');
  });

  it('requires addresses and a sender once SMTP is configured', () => {
    const error = problemsOf({ feeds: ['https://example.org/feed'], smtp: { host: 'smtp.example.org' } });
    expect(error.problems.map((p) => p.setting).sort()).toEqual(['from', 'to']);
  });

  it('never echoes secrets', () => {
    const error = problemsOf({
      feeds: 'feeds.txt',
      databaseUrl: 'mysql://root:hunter2-secret@db/x',
      smtp: { host: 'smtp.example.org', port: 'hunter3-secret' },
    });
    expect(error.problems.map((p) => p.setting).sort()).toEqual(['databaseUrl', 'smtp.port']);
    expect(error.message).not.toMatch(/hunter/);
    expect(JSON.stringify(error.problems)).not.toMatch(/hunter/);
  });
});

describe('configFromEnv', () => {
  it("maps our variables and the original script's", () => {
    const input = configFromEnv({
      N2K_FEEDS: '/data/feeds.txt',
      N2K_FORMAT: 'azw3',
      N2K_MAX_PER_FEED: '12',
      N2K_IMAGES: 'false',
      KINDLE_EMAIL: 'me@kindle.com, partner@kindle.com',
      EMAIL_SMTP: 'smtp.example.org',
      EMAIL_SMTP_PORT: '465',
      EMAIL_USER: 'me@example.org',
      EMAIL_PASSWORD: 'app-password',
      EMAIL_FROM: 'me@example.org',
      UPDATE_PERIOD: '12',
      DATABASE_URL: 'postgres://u:p@db.example.com:5432/x',
    });
    const config = parseConfig(input);
    expect(config).toMatchObject({
      feeds: '/data/feeds.txt',
      format: 'azw3',
      maxPerFeed: 12,
      images: false,
      to: ['me@kindle.com', 'partner@kindle.com'],
      from: 'me@example.org',
      since: 12 * 3_600_000,
      databaseUrl: 'postgres://u:p@db.example.com:5432/x',
      smtp: {
        host: 'smtp.example.org',
        port: 465,
        secure: true,
        auth: { user: 'me@example.org', pass: 'app-password' },
      },
    });
  });

  it('prefers N2K_SINCE to UPDATE_PERIOD and flags to the environment', () => {
    const input = configFromEnv(
      { N2K_SINCE: '2d', UPDATE_PERIOD: '12', N2K_TITLE: 'Env' },
      { title: 'Flag', feeds: 'x' },
    );
    expect(parseConfig(input)).toMatchObject({ since: 2 * 86_400_000, title: 'Flag', feeds: 'x' });
  });

  it('names the variable at fault, together with SMTP problems', () => {
    const input = configFromEnv({
      N2K_FEEDS: 'feeds.txt',
      N2K_SINCE: 'soon',
      N2K_DEVICE: 'kobo',
      KINDLE_EMAIL: 'me@kindle.com',
      SMTP_HOST: 'smtp.example.org',
      SMTP_PORT: '25',
      SMTP_USER: 'me@example.org',
      SMTP_PASSWORD: 'top-secret-pw',
    });
    const error = problemsOf(input);
    const sources = error.problems.map((p) => p.source).sort();
    expect(sources).toEqual(['N2K_DEVICE', 'N2K_SINCE', 'SMTP_PORT']);
    expect(error.message).toMatch(/N2K_SINCE \(since\): expected a duration/);
    expect(error.message).toMatch(/SMTP_PORT \(smtp\): expected 587 .*, received 25/);
    expect(error.message).not.toContain('top-secret-pw');
  });

  it('reads nothing but the object given', () => {
    process.env.N2K_TITLE = 'from process.env';
    try {
      expect(parseConfig(configFromEnv({ N2K_FEEDS: 'f.txt' })).title).toBe('News');
    } finally {
      delete process.env.N2K_TITLE;
    }
  });
});
