import { isEmailAddress } from './address.js';
import type { SmtpOptions } from './smtp.js';

type Env = Record<string, string | undefined>;

export interface SmtpEnvResult {
  /** Set when a server was found, even if `problems` lists something to fix. */
  options?: SmtpOptions;
  /** The sender, from SMTP_FROM/EMAIL_FROM, else the SMTP user when it is an address. */
  from?: string;
  /** One line per problem, naming the variable and what is expected. Empty when usable. */
  problems: string[];
  /** Which convention the settings came from, e.g. `SMTP_URL` or `MAILGUN_SMTP_*`. */
  source?: string;
}

/**
 * Maps environment variables to SMTP options (for apps: this package itself reads no env).
 * First match wins: SMTP_URL, SMTP_HOST…, the original script's EMAIL_SMTP…, Mailgun's
 * MAILGUN_SMTP_*, then SendGrid's SENDGRID_API_KEY. Secrets never appear in `problems`.
 */
export function smtpOptionsFromEnv(env: Env): SmtpEnvResult {
  const problems: string[] = [];
  const v = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  let found: { source: string; options: SmtpOptions } | undefined;

  const url = v('SMTP_URL');
  if (url) {
    found = fromUrl(url, problems);
  } else if (v('SMTP_HOST')) {
    found = fromParts('SMTP_*', problems, {
      host: ['SMTP_HOST', v('SMTP_HOST')],
      port: ['SMTP_PORT', v('SMTP_PORT')],
      user: ['SMTP_USER', v('SMTP_USER')],
      pass: ['SMTP_PASSWORD', v('SMTP_PASSWORD') ?? v('SMTP_PASS')],
      secure: ['SMTP_SECURE', v('SMTP_SECURE')],
    });
  } else if (v('EMAIL_SMTP')) {
    found = fromParts('EMAIL_SMTP', problems, {
      host: ['EMAIL_SMTP', v('EMAIL_SMTP')],
      port: ['EMAIL_SMTP_PORT', v('EMAIL_SMTP_PORT')],
      user: ['EMAIL_USER', v('EMAIL_USER')],
      pass: ['EMAIL_PASSWORD', v('EMAIL_PASSWORD')],
      secure: ['SMTP_SECURE', v('SMTP_SECURE')],
    });
  } else if (v('MAILGUN_SMTP_SERVER')) {
    found = fromParts('MAILGUN_SMTP_*', problems, {
      host: ['MAILGUN_SMTP_SERVER', v('MAILGUN_SMTP_SERVER')],
      port: ['MAILGUN_SMTP_PORT', v('MAILGUN_SMTP_PORT')],
      user: ['MAILGUN_SMTP_LOGIN', v('MAILGUN_SMTP_LOGIN')],
      pass: ['MAILGUN_SMTP_PASSWORD', v('MAILGUN_SMTP_PASSWORD')],
      secure: ['SMTP_SECURE', undefined],
    });
  } else if (v('SENDGRID_API_KEY')) {
    found = {
      source: 'SENDGRID_API_KEY',
      options: {
        host: 'smtp.sendgrid.net',
        port: 587,
        secure: false,
        auth: { user: 'apikey', pass: v('SENDGRID_API_KEY') as string },
      },
    };
  }

  let from = v('SMTP_FROM') ?? v('EMAIL_FROM');
  const fromName = v('SMTP_FROM') ? 'SMTP_FROM' : 'EMAIL_FROM';
  if (from && !isEmailAddress(from)) {
    problems.push(`${fromName} must be a bare e-mail address (the one on Amazon's approved list), got "${from}"`);
    from = undefined;
  }
  const user = found?.options.auth?.user;
  if (!from && user && isEmailAddress(user)) from = user;
  if (found && !from) {
    problems.push("EMAIL_FROM (or SMTP_FROM) is not set: give the sender address on Amazon's approved list");
  }
  return {
    ...(found ? { options: found.options, source: found.source } : {}),
    ...(from ? { from } : {}),
    problems,
  };
}

function fromUrl(url: string, problems: string[]): { source: string; options: SmtpOptions } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // The value is not echoed: a malformed URL cannot be reliably stripped of its password.
    problems.push(`SMTP_URL is not a valid URL; expected smtp://user:password@host:587 or smtps://…:465`);
    return undefined;
  }
  if (parsed.protocol !== 'smtp:' && parsed.protocol !== 'smtps:') {
    problems.push(`SMTP_URL must start with smtp:// (STARTTLS) or smtps:// (implicit TLS), got ${parsed.protocol}//`);
    return undefined;
  }
  const secure = parsed.protocol === 'smtps:';
  return fromParts('SMTP_URL', problems, {
    host: ['SMTP_URL host', parsed.hostname || undefined],
    port: ['SMTP_URL port', parsed.port || undefined],
    user: ['SMTP_URL user', parsed.username ? decodeURIComponent(parsed.username) : undefined],
    pass: ['SMTP_URL password', parsed.password ? decodeURIComponent(parsed.password) : undefined],
    secure: ['SMTP_URL scheme', secure ? 'true' : 'false'],
  });
}

type Part = [name: string, value: string | undefined];

function fromParts(
  source: string,
  problems: string[],
  parts: { host: Part; port: Part; user: Part; pass: Part; secure: Part },
): { source: string; options: SmtpOptions } | undefined {
  const host = parts.host[1];
  if (!host) {
    problems.push(`${parts.host[0]} is empty: give the SMTP server's host name`);
    return undefined;
  }
  let secure: boolean | undefined;
  const rawSecure = parts.secure[1]?.toLowerCase();
  if (rawSecure !== undefined) {
    if (['true', '1', 'yes'].includes(rawSecure)) secure = true;
    else if (['false', '0', 'no'].includes(rawSecure)) secure = false;
    else problems.push(`${parts.secure[0]} must be true or false, got "${parts.secure[1]}"`);
  }
  let port: number | undefined;
  if (parts.port[1] !== undefined) {
    port = Number(parts.port[1]);
    if (!/^\d+$/.test(parts.port[1]) || port < 1 || port > 65535) {
      problems.push(`${parts.port[0]} must be a port number (587 or 465), got "${parts.port[1]}"`);
      port = undefined;
    }
  }
  port ??= secure ? 465 : 587;
  secure ??= port === 465;
  if (port === 25) {
    problems.push(
      `${parts.port[0]} is 25, which Heroku and most providers block for outgoing mail: use 587 (STARTTLS) or 465 (implicit TLS)`,
    );
  } else if (port === 465 && !secure) {
    problems.push(`${parts.port[0]} is 465, which uses implicit TLS: set ${parts.secure[0]}=true (or use 587)`);
  } else if (port === 587 && secure) {
    problems.push(`${parts.port[0]} is 587, which uses STARTTLS: set ${parts.secure[0]}=false (or use 465)`);
  }
  const [user, pass] = [parts.user[1], parts.pass[1]];
  if (user && !pass)
    problems.push(`${parts.pass[0]} is empty but ${parts.user[0]} is set: give the password (or app password)`);
  if (pass && !user) problems.push(`${parts.user[0]} is empty but ${parts.pass[0]} is set: give the login name`);
  return {
    source,
    options: { host, port, secure, ...(user && pass ? { auth: { user, pass } } : {}) },
  };
}
