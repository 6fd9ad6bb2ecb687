/** One instruction of a Dockerfile, continuation lines joined. */
export interface DockerInstruction {
  keyword: string;
  /** The arguments as written (after the keyword). */
  args: string;
  /** The exec form's parsed array (`CMD ["node", "x.js"]`), when the arguments are one. */
  exec?: string[];
  line: number;
}

export interface DockerStage {
  name?: string;
  from: string;
  line: number;
  instructions: DockerInstruction[];
}

export interface ParsedDockerfile {
  /** `ARG`s before the first `FROM`, with defaults. */
  globalArgs: Record<string, string | undefined>;
  stages: DockerStage[];
}

// A small reader for the instructions the doctor needs; it does not evaluate the file. Heredocs and
// parser directives other than the default escape character are out of scope.
/** Splits a Dockerfile into stages and instructions, keeping line numbers. */
export function parseDockerfile(text: string): ParsedDockerfile {
  const result: ParsedDockerfile = { globalArgs: {}, stages: [] };
  const lines = text.split(/\r?\n/);
  let i = 0;
  while (i < lines.length) {
    const start = i;
    let logical = lines[i] ?? '';
    i++;
    if (/^\s*(#|$)/.test(logical)) continue;
    while (/\\\s*$/.test(logical) && i < lines.length) {
      const next = lines[i] ?? '';
      i++;
      if (/^\s*#/.test(next)) continue;
      logical = logical.replace(/\\\s*$/, ' ') + next;
    }
    const match = /^\s*([A-Za-z]+)\s*(.*)$/s.exec(logical);
    if (!match) continue;
    const keyword = (match[1] ?? '').toUpperCase();
    const args = (match[2] ?? '').trim();
    const instruction: DockerInstruction = { keyword, args, line: start + 1 };
    const exec = parseExecForm(args);
    if (exec) instruction.exec = exec;
    if (keyword === 'FROM') {
      const from = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(args);
      result.stages.push({
        from: from?.[1] ?? args,
        ...(from?.[2] ? { name: from[2] } : {}),
        line: start + 1,
        instructions: [],
      });
      continue;
    }
    const stage = result.stages.at(-1);
    if (stage) stage.instructions.push(instruction);
    else if (keyword === 'ARG') Object.assign(result.globalArgs, parseArg(args));
  }
  return result;
}

/** `ARG NAME=default` (or `ARG NAME`) → `{ NAME: 'default' | undefined }`. */
export function parseArg(args: string): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const part of args.split(/\s+/).filter(Boolean)) {
    const [name, ...rest] = part.split('=');
    if (name) out[name] = rest.length ? rest.join('=').replace(/^["']|["']$/g, '') : undefined;
  }
  return out;
}

function parseExecForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(args);
    return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : undefined;
  } catch {
    return undefined;
  }
}
