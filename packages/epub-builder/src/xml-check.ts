/** A well-formedness problem found by {@link checkXml}. */
export interface XmlProblem {
  rule: 'xml' | 'comment-dashes';
  message: string;
}

const VALID_AT = /^&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/;
const ENTITY = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

/**
 * A small well-formedness check (balanced tags, quoted attributes, known entities, no "--" in
 * comments): enough to catch what Amazon rejects without a full XML parser.
 */
export function checkXml(text: string): XmlProblem[] {
  const problems: XmlProblem[] = [];
  const stack: string[] = [];
  const token =
    /<!--([\s\S]*?)-->|<!\[CDATA\[[\s\S]*?\]\]>|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<|&/g;
  let last = 0;
  for (let m = token.exec(text); m && problems.length < 20; m = token.exec(text)) {
    const between = text.slice(last, m.index);
    if (ENTITY.test(between)) problems.push({ rule: 'xml', message: 'A bare "&" in text' });
    last = token.lastIndex;
    if (m[0] === '<') {
      problems.push({ rule: 'xml', message: `Malformed tag near "${text.slice(m.index, m.index + 40)}"` });
      continue;
    }
    if (m[0] === '&') {
      if (!VALID_AT.test(text.slice(m.index, m.index + 12))) problems.push({ rule: 'xml', message: 'A bare "&"' });
      last = m.index + 1;
      continue;
    }
    if (m[1] !== undefined) {
      if (m[1].includes('--') || m[1].endsWith('-'))
        problems.push({ rule: 'comment-dashes', message: '"--" inside a comment' });
      continue;
    }
    const name = m[3];
    if (!name) continue;
    if (m[4] && ENTITY.test(m[4])) problems.push({ rule: 'xml', message: `A bare "&" in an attribute of <${name}>` });
    if (m[2]) {
      const open = stack.pop();
      if (open !== name) problems.push({ rule: 'xml', message: `</${name}> closes <${open ?? 'nothing'}>` });
    } else if (!m[5]) stack.push(name);
  }
  if (ENTITY.test(text.slice(last))) problems.push({ rule: 'xml', message: 'A bare "&" in text' });
  if (stack.length > 0 && problems.length === 0)
    problems.push({ rule: 'xml', message: `<${stack.at(-1)}> is never closed` });
  return problems;
}
