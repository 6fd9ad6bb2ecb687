import { describe, expect, it } from 'vitest';
import { MASK, isSecretParam, redact, secretsOf } from './redact.js';

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

  it('masks the values of secret query parameters and keeps the rest of the URL readable', () => {
    expect(redact('warning: feed https://feeds.example.org/private.xml?token=abc123&page=2 answered 403')).toBe(
      `warning: feed https://feeds.example.org/private.xml?token=${MASK}&page=2 answered 403`,
    );
    expect(redact('https://x.example/rss?lang=en&apikey=K1&api_key=K2&access_token=T&auth=A&password=P&sig=S')).toBe(
      `https://x.example/rss?lang=en&apikey=${MASK}&api_key=${MASK}&access_token=${MASK}&auth=${MASK}&password=${MASK}&sig=${MASK}`,
    );
    expect(redact('"url": "https://cdn.example/a.jpg?X-Amz-Signature=f00d&X-Amz-Date=20261129"')).toBe(
      `"url": "https://cdn.example/a.jpg?X-Amz-Signature=${MASK}&X-Amz-Date=20261129"`,
    );
    expect(redact('https://x.example/cb#access_token=T0k&state=s')).toBe(
      `https://x.example/cb#access_token=${MASK}&state=s`,
    );
    // Ordinary parameters, and names that only contain a secret word, are left alone.
    const plain = 'https://example.org/feed?id=7&category=news&keyword=kindle&tokens_left=3&q=password';
    expect(redact(plain)).toBe(plain);
  });

  it('recognises secret parameter names whatever their case and separators', () => {
    for (const name of [
      'token',
      'TOKEN',
      'key',
      'apiKey',
      'api-key',
      'x-api-key',
      'private_token',
      'client_secret',
      'Signature',
      'pwd',
      'passwd',
      'sessionid',
    ]) {
      expect(isSecretParam(name), name).toBe(true);
    }
    for (const name of ['id', 'page', 'keyword', 'tokens_left', 'q', 'format', 'lang']) {
      expect(isSecretParam(name), name).toBe(false);
    }
  });
});
