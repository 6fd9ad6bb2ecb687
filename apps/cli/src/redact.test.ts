import { describe, expect, it } from 'vitest';
import { MASK, redact, secretsOf } from './redact.js';

describe('redact', () => {
  it('masks the password of credential URLs, whatever the scheme', () => {
    expect(redact('connect smtps://me:s3cret@mail.example.org:465 failed')).toBe(
      `connect smtps://me:${MASK}@mail.example.org:465 failed`,
    );
    expect(redact('postgres://u:p%40ss@db/x')).toBe(`postgres://u:${MASK}@db/x`);
    expect(redact('https://example.org/a:b@c')).toBe('https://example.org/a:b@c');
  });

  it('masks known secret values wherever they appear, raw and decoded', () => {
    const secrets = secretsOf({
      SMTP_URL: 'smtp://me:p%40ss-word@127.0.0.1:25',
      EMAIL_PASSWORD: 'hunter22',
      DATABASE_URL: 'postgres://db:dbpass@h/x',
      KINDLE_EMAIL: 'me@kindle.com',
    });
    expect(secrets).toEqual(expect.arrayContaining(['p%40ss-word', 'p@ss-word', 'hunter22', 'dbpass']));
    expect(secrets).not.toContain('me@kindle.com');
    expect(redact('535 auth failed for password p@ss-word and hunter22; dbpass', secrets)).toBe(
      `535 auth failed for password ${MASK} and ${MASK}; ${MASK}`,
    );
  });
});
