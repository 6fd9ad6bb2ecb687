/**
 * Removes secrets from text that may reach an error message or a log: the secret itself and
 * the base64 forms SMTP AUTH puts on the wire (a server may echo them back in a reply).
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 3) continue;
    const forms = [secret, Buffer.from(secret).toString('base64'), encodeURIComponent(secret)];
    for (const form of forms) out = out.split(form).join('***');
  }
  return out;
}
