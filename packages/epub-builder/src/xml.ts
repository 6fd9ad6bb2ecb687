// Characters XML 1.0 forbids (C0 controls except tab/newline/return, lone surrogates, U+FFFE/U+FFFF).
// Amazon and epubcheck both reject a file containing one, so text and attributes pass through here.
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes characters that cannot appear in an XML document. */
export function xmlSafe(text: string): string {
  return text.replace(INVALID_XML, '');
}

/** Escapes text content for XML (and drops forbidden characters). */
export function escText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes an attribute value for XML in double quotes. */
export function escAttr(text: string): string {
  return escText(text)
    .replace(/"/g, '&quot;')
    .replace(/[\t\n\r]/g, ' ');
}

/** The XML declaration every XHTML file starts with: Amazon assumes ISO-8859-1 without it. */
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

/** A BCP 47 tag shape check (not a registry lookup): enough to keep junk out of `xml:lang`. */
export function isLanguageTag(tag: string): boolean {
  return /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/.test(tag);
}

/** Collapses whitespace and trims, for titles and metadata. */
export function oneLine(text: string): string {
  return xmlSafe(text).replace(/\s+/g, ' ').trim();
}
