import { describe, expect, it } from 'vitest';
import { smtpOptionsFromEnv } from './env.js';

const SECRET = 'p@ss:w/rd%secret';

describe('smtpOptionsFromEnv', () => {
  it('returns nothing and no problems when no SMTP server is configured (the outbox default)', () => {
    expect(smtpOptionsFromEnv({})).toEqual({ problems: [] });
  });

  it('reads SMTP_URL with smtps:// as implicit TLS and decodes credentials', () => {
    const r = smtpOptionsFromEnv({
      SMTP_URL: `smtps://me%40example.org:${encodeURIComponent(SECRET)}@mail.example.org`,
    });
    expect(r.options).toEqual({
      host: 'mail.example.org',
      port: 465,
      secure: true,
      auth: { user: 'me@example.org', pass: SECRET },
    });
    expect(r.from).toBe('me@example.org');
    expect(r.problems).toEqual([]);
    expect(r.source).toBe('SMTP_URL');
  });

  it('reads smtp:// as STARTTLS on 587 and takes precedence over the other conventions', () => {
    const r = smtpOptionsFromEnv({
      SMTP_URL: 'smtp://u:p@h.example',
      EMAIL_SMTP: 'other.example',
      EMAIL_FROM: 'me@example.org',
    });
    expect(r.options).toMatchObject({ host: 'h.example', port: 587, secure: false });
    expect(r.from).toBe('me@example.org');
  });

  it('never echoes a password from a broken SMTP_URL', () => {
    const r = smtpOptionsFromEnv({ SMTP_URL: `smtp://user:${SECRET}@` });
    expect(r.problems).toHaveLength(1);
    expect(r.problems.join()).not.toContain('secret');
    const scheme = smtpOptionsFromEnv({ SMTP_URL: `http://user:${encodeURIComponent(SECRET)}@h.example` });
    expect(scheme.problems.join()).toMatch(/smtp:\/\//);
    expect(scheme.problems.join()).not.toContain('secret');
  });

  it('reads SMTP_HOST/PORT/USER/PASSWORD/SECURE', () => {
    const r = smtpOptionsFromEnv({
      SMTP_HOST: 'smtp.example.org',
      SMTP_PORT: '465',
      SMTP_SECURE: 'true',
      SMTP_USER: 'me',
      SMTP_PASSWORD: SECRET,
      SMTP_FROM: 'me@example.org',
    });
    expect(r.options).toEqual({
      host: 'smtp.example.org',
      port: 465,
      secure: true,
      auth: { user: 'me', pass: SECRET },
    });
    expect(r.problems).toEqual([]);
  });

  it("reads the original script's EMAIL_* variables", () => {
    const r = smtpOptionsFromEnv({
      EMAIL_SMTP: 'smtp.gmail.com',
      EMAIL_SMTP_PORT: '587',
      EMAIL_USER: 'me@gmail.com',
      EMAIL_PASSWORD: SECRET,
      EMAIL_FROM: 'me@gmail.com',
    });
    expect(r.options).toEqual({
      host: 'smtp.gmail.com',
      port: 587,
      secure: false,
      auth: { user: 'me@gmail.com', pass: SECRET },
    });
    expect(r.from).toBe('me@gmail.com');
    expect(r.problems).toEqual([]);
  });

  it('reads Mailgun add-on variables', () => {
    const r = smtpOptionsFromEnv({
      MAILGUN_SMTP_SERVER: 'smtp.mailgun.org',
      MAILGUN_SMTP_PORT: '587',
      MAILGUN_SMTP_LOGIN: 'postmaster@mg.example.org',
      MAILGUN_SMTP_PASSWORD: SECRET,
    });
    expect(r.options).toEqual({
      host: 'smtp.mailgun.org',
      port: 587,
      secure: false,
      auth: { user: 'postmaster@mg.example.org', pass: SECRET },
    });
    expect(r.from).toBe('postmaster@mg.example.org');
  });

  it("uses SendGrid's apikey convention", () => {
    const r = smtpOptionsFromEnv({ SENDGRID_API_KEY: 'SG.key', EMAIL_FROM: 'me@example.org' });
    expect(r.options).toEqual({
      host: 'smtp.sendgrid.net',
      port: 587,
      secure: false,
      auth: { user: 'apikey', pass: 'SG.key' },
    });
    expect(r.problems).toEqual([]);
  });

  it('flags port 25, TLS modes that do not match the port, bad values and half credentials', () => {
    const problems = (env: Record<string, string>) =>
      smtpOptionsFromEnv({ EMAIL_FROM: 'me@example.org', ...env }).problems.join('\n');
    expect(problems({ SMTP_HOST: 'h', SMTP_PORT: '25' })).toMatch(/SMTP_PORT is 25.*Heroku.*587/);
    expect(problems({ EMAIL_SMTP: 'h', EMAIL_SMTP_PORT: '25' })).toMatch(/EMAIL_SMTP_PORT is 25/);
    expect(problems({ SMTP_HOST: 'h', SMTP_PORT: '465', SMTP_SECURE: 'false' })).toMatch(/implicit TLS/);
    expect(problems({ SMTP_HOST: 'h', SMTP_PORT: '587', SMTP_SECURE: 'true' })).toMatch(/STARTTLS/);
    expect(problems({ SMTP_HOST: 'h', SMTP_PORT: 'abc' })).toMatch(/SMTP_PORT must be a port number/);
    expect(problems({ SMTP_HOST: 'h', SMTP_SECURE: 'maybe' })).toMatch(/SMTP_SECURE must be true or false/);
    expect(problems({ SMTP_HOST: 'h', SMTP_USER: 'me' })).toMatch(/SMTP_PASSWORD is empty/);
    expect(problems({ SMTP_HOST: 'h', SMTP_PASSWORD: SECRET })).toMatch(/SMTP_USER is empty/);
    expect(problems({ SMTP_HOST: 'h', SMTP_PASSWORD: SECRET })).not.toContain(SECRET);
  });

  it('asks for a sender when none can be derived, and rejects a malformed one', () => {
    expect(smtpOptionsFromEnv({ SMTP_HOST: 'h', SMTP_USER: 'me', SMTP_PASSWORD: 'x' }).problems.join()).toMatch(
      /EMAIL_FROM/,
    );
    const bad = smtpOptionsFromEnv({ SMTP_HOST: 'h', EMAIL_FROM: 'Me <me@example.org>' });
    expect(bad.from).toBeUndefined();
    expect(bad.problems.join()).toMatch(/EMAIL_FROM must be a bare e-mail address/);
  });
});
