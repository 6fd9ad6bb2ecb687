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
 * Query (or fragment) parameters whose value is a credential, by the end of their name with
 * separators removed: `token`, `access_token`, `X-Amz-Signature`, `api-key`, `apikey`, `auth`…
 * Private feed URLs carry them (podcast hosts, paywalled sites, signed CDN links).
 */
const SECRET_PARAM =
  /(?:key|token|secret|password|passwd|pwd|pass|sig|signature|auth|authorization|credentials?|sessionid)$/;

/** Whether a query parameter name holds a secret (see SECRET_PARAM). */
export function isSecretParam(name: string): boolean {
  return SECRET_PARAM.test(name.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/**
 * Masks credentials in text: the password of any `scheme://user:password@` URL, the value of
 * secret query parameters (`?token=…`, `&apikey=…`; the rest of the URL stays readable), and every
 * known secret value wherever it appears (an error message may quote it without the URL around it).
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@/\s]+)@/gi, `$1${MASK}@`);
  out = out.replace(/([?&#])([^=&#?\s"'<>]+)=([^&#\s"'<>]+)/g, (all, sep: string, name: string) =>
    isSecretParam(name) ? `${sep}${name}=${MASK}` : all,
  );
  for (const secret of secrets) out = out.split(secret).join(MASK);
  return out;
}
