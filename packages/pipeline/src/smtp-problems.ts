import type { ConfigProblem } from './errors.js';

// A variable as the mailer's env reader names it: `SMTP_PORT`, or a part of SMTP_URL (`SMTP_URL port`).
const NAME = String.raw`[A-Z][A-Z0-9_]*(?: (?:host|port|user|password|scheme))?`;

type Rule = [RegExp, (m: RegExpExecArray) => Omit<ConfigProblem, 'setting'>];

/**
 * The mailer phrases its problems as sentences ("SMTP_PORT must be a port number …, got "x"");
 * the configuration reports each as the setting, what is expected and what was received, so
 * every problem reads the same way. Rules follow the mailer's sentence shapes; an unknown shape
 * is kept whole (ConfigError prints it as is).
 */
const RULES: Rule[] = [
  [
    new RegExp(`^(${NAME}) \\(or (${NAME})\\) is not set: give (.+)$`),
    (m) => ({ source: m[1]!, expected: `${m[3]} in ${m[1]} or ${m[2]}`, received: 'nothing' }),
  ],
  [
    new RegExp(`^(${NAME}) is empty but (${NAME}) is set: give (.+)$`),
    (m) => ({ source: m[1]!, expected: `${m[3]}, since ${m[2]} is set`, received: 'nothing' }),
  ],
  [new RegExp(`^(${NAME}) is empty: give (.+)$`), (m) => ({ source: m[1]!, expected: m[2]!, received: 'nothing' })],
  [
    new RegExp(`^(${NAME}) is not a valid URL; expected (.+)$`),
    (m) => ({ source: m[1]!, expected: `a URL such as ${m[2]}` }),
  ],
  [
    new RegExp(`^(${NAME}) must start with (.+), got (.+)$`),
    (m) => ({ source: m[1]!, expected: `a URL starting with ${m[2]}`, received: m[3]! }),
  ],
  [new RegExp(`^(${NAME}) must be (.+), got (.+)$`), (m) => ({ source: m[1]!, expected: m[2]!, received: m[3]! })],
  [
    new RegExp(`^(${NAME}) is (\\d+), which uses (.+): set (.+)$`),
    (m) => ({
      source: m[1]!,
      expected: `${m[4]!.replace('(or use ', '(or port ')}, since port ${m[2]} uses ${m[3]}`,
      received: m[2]!,
    }),
  ],
  [
    new RegExp(`^(${NAME}) is (\\d+), which (.+): use (.+)$`),
    (m) => ({ source: m[1]!, expected: `${m[4]}, not a port ${m[3]}`, received: m[2]! }),
  ],
];

/** One SMTP problem from the mailer's env reader as a configuration problem. */
export function smtpProblem(message: string): ConfigProblem {
  for (const [pattern, shape] of RULES) {
    const m = pattern.exec(message);
    if (!m) continue;
    const problem = shape(m);
    return { setting: /FROM/.test(problem.source ?? '') ? 'from' : 'smtp', ...problem };
  }
  const name = new RegExp(`^${NAME}(?=\\s)`).exec(message)?.[0];
  return { setting: /FROM/.test(name ?? '') ? 'from' : 'smtp', ...(name ? { source: name } : {}), expected: message };
}
