import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config-env.js';
import { CONFIG_PROBLEMS } from './config.js';
import { ConfigError } from './errors.js';

const smtpHost = { SMTP_HOST: 'smtp.example.org', KINDLE_EMAIL: 'me@kindle.com' };
const problems = (env: Record<string, string>) => configFromEnv(env)[CONFIG_PROBLEMS] ?? [];
const lines = (env: Record<string, string>) => new ConfigError(problems(env)).message.split('\n').slice(1);

describe('SMTP problems from the environment', () => {
  it('phrase each one as the variable, what is expected and what was received', () => {
    expect(problems(smtpHost)).toEqual([
      {
        setting: 'from',
        source: 'EMAIL_FROM',
        expected: "the sender address on Amazon's approved list in EMAIL_FROM or SMTP_FROM",
        received: 'nothing',
      },
    ]);
    expect(lines({ ...smtpHost, SMTP_FROM: 'me at home', SMTP_PORT: 'x', SMTP_SECURE: 'maybe' })).toEqual([
      '- SMTP_SECURE (smtp): expected true or false, received "maybe"',
      '- SMTP_PORT (smtp): expected a port number (587 or 465), received "x"',
      `- SMTP_FROM (from): expected a bare e-mail address (the one on Amazon's approved list), received "me at home"`,
      "- EMAIL_FROM (from): expected the sender address on Amazon's approved list in EMAIL_FROM or SMTP_FROM, received nothing",
    ]);
  });

  it('explain the port, TLS and login mistakes', () => {
    const from = { ...smtpHost, SMTP_FROM: 'me@example.org' };
    expect(lines({ ...from, SMTP_PORT: '25' })).toEqual([
      '- SMTP_PORT (smtp): expected 587 (STARTTLS) or 465 (implicit TLS), not a port Heroku and most providers block for outgoing mail, received 25',
    ]);
    expect(lines({ ...from, SMTP_PORT: '465', SMTP_SECURE: 'false' })).toEqual([
      '- SMTP_PORT (smtp): expected SMTP_SECURE=true (or port 587), since port 465 uses implicit TLS, received 465',
    ]);
    expect(lines({ ...from, SMTP_USER: 'me' })).toEqual([
      '- SMTP_PASSWORD (smtp): expected the password (or app password), since SMTP_USER is set, received nothing',
    ]);
    expect(lines({ ...from, SMTP_URL: 'ftp://a@b' })).toEqual([
      '- SMTP_URL (smtp): expected a URL starting with smtp:// (STARTTLS) or smtps:// (implicit TLS), received ftp://',
    ]);
  });

  it('never echo a password', () => {
    const text = JSON.stringify(problems({ ...smtpHost, SMTP_URL: 'smtp://me:hunter2-secret@:bad' }));
    expect(text).not.toContain('hunter2');
    expect(text).toContain('SMTP_URL');
  });
});
