export interface ProcfileEntry {
  type: string;
  command: string;
  line: number;
}

/** Reads a Procfile: `type: command` per line; blank lines and `#` comments are skipped. */
export function parseProcfile(text: string): ProcfileEntry[] {
  const entries: ProcfileEntry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const match = /^([A-Za-z0-9_-]+):\s*(.*?)\s*$/.exec(raw);
    if (match?.[1] && match[2] !== undefined) entries.push({ type: match[1], command: match[2], line: index + 1 });
  });
  return entries;
}
