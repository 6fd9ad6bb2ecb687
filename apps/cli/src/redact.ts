/** What stands in for a secret in everything the CLI prints. */
export const MASK = '***';

/** Environment variables whose whole value is a secret. */
const SECRET_VARS = ['EMAIL_PASSWORD', 'SMTP_PASSWORD', 'SMTP_PASS', 'MAILGUN_SMTP_PASSWORD', 'SENDGRID_API_KEY'];
/** Environment variables holding URLs whose password part is a secret. */
const URL_VARS = ['SMTP_URL', 'DATABASE_URL', 'TEST_DATABASE_URL'];

/**
 * The secret strings of an environment: passwords, and the password part of credential URLs
 * (raw and percent-decoded, since messages may show either).
 */
export function secretsOf(env: Record<string, string | undefined>): string[] {
  const secrets = new Set<string>();
  for (const name of SECRET_VARS) {
    const value = env[name];
    if (value && value.length >= 3) secrets.add(value);
  }
  for (const name of URL_VARS) {
    const value = env[name];
    if (!value) continue;
    const match = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]+)@/i.exec(value);
    const password = match?.[1];
    if (!password) continue;
    secrets.add(password);
    try {
      secrets.add(decodeURIComponent(password));
    } catch {
      // A malformed escape is still masked in its raw form.
    }
  }
  // SMTP AUTH sends secrets base64-encoded, and a server may echo them back in a reply.
  for (const secret of [...secrets]) {
    secrets.add(Buffer.from(secret).toString('base64'));
    secrets.add(encodeURIComponent(secret));
  }
  return [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

/**
 * Masks credentials in text: the password of any `scheme://user:password@` URL, and every known
 * secret value wherever it appears (an error message may quote it without the URL around it).
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@/\s]+)@/gi, `$1${MASK}@`);
  for (const secret of secrets) out = out.split(secret).join(MASK);
  return out;
}
