/** Resolves `value` against `base`, or returns it unchanged when that is impossible. */
export function resolveUrl(value: string | undefined, base: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (!trimmed) return undefined;
  // Absolute URLs are kept as written (new URL would normalise case and trailing slashes).
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return trimmed;
  try {
    return new URL(trimmed, base).toString();
  } catch {
    return trimmed;
  }
}

/** True for absolute http(s) URLs. */
export function isHttpUrl(value: string | undefined): value is string {
  return !!value && /^https?:\/\//i.test(value);
}

const ATTR = /(\s(?:href|src|poster|data-src|data-original)\s*=\s*)("([^"]*)"|'([^']*)')/gi;
const SRCSET = /(\ssrcset\s*=\s*)("([^"]*)"|'([^']*)')/gi;

/**
 * Makes the links and image URLs in an HTML fragment absolute. Fragment-only links (`#note`) and
 * URLs with a scheme stay as they are.
 */
export function absolutizeHtml(html: string, base: string | undefined): string {
  if (!base || !/^(https?|file):/i.test(base)) return html;
  const fix = (url: string) => {
    const decoded = url.replace(/&amp;/g, '&');
    if (!decoded || decoded.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(decoded)) return url;
    const resolved = resolveUrl(decoded, base) ?? decoded;
    return resolved.replace(/&/g, '&amp;').replace(/"/g, '%22');
  };
  return html
    .replace(ATTR, (_m, prefix: string, _q, dq?: string, sq?: string) => `${prefix}"${fix(dq ?? sq ?? '')}"`)
    .replace(SRCSET, (_m, prefix: string, _q, dq?: string, sq?: string) => {
      const list = (dq ?? sq ?? '')
        .split(',')
        .map((part) => {
          const [url = '', ...rest] = part.trim().split(/\s+/);
          return [fix(url), ...rest].join(' ');
        })
        .join(', ');
      return `${prefix}"${list}"`;
    });
}
