import { MailerError } from './errors.js';

// Deliberately plain: a Kindle address or an approved sender is a bare `local@domain`, and a
// display name or angle brackets here usually means a copy-paste accident.
const ADDRESS = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;

/** True when `value` is a bare e-mail address such as `me_123@kindle.com`. */
export function isEmailAddress(value: string): boolean {
  return ADDRESS.test(value);
}

/** Validates 1–`max` recipients, trims and removes duplicates (case-insensitively). */
export function checkRecipients(to: readonly string[], max: number): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of to) {
    const address = raw.trim();
    if (!isEmailAddress(address)) {
      throw new MailerError('INVALID_ADDRESS', `"${raw}" is not an e-mail address; expected e.g. name_123@kindle.com`);
    }
    if (seen.has(address.toLowerCase())) continue;
    seen.add(address.toLowerCase());
    out.push(address);
  }
  if (out.length === 0) {
    throw new MailerError('INVALID_ADDRESS', 'no recipient: give at least one Send-to-Kindle address');
  }
  if (out.length > max) {
    throw new MailerError(
      'INVALID_ADDRESS',
      `${out.length} recipients given; Amazon accepts at most ${max} Kindle addresses per message`,
    );
  }
  return out;
}

/** Validates the sender, which must be on the Approved Personal Document E-mail List. */
export function checkSender(from: string): string {
  const address = from.trim();
  if (!isEmailAddress(address)) {
    throw new MailerError(
      'INVALID_ADDRESS',
      `sender "${from}" is not an e-mail address; use the address on your Approved Personal Document E-mail List`,
    );
  }
  return address;
}
