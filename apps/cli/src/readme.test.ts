import { readFile } from 'node:fs/promises';
import { ENV_VARIABLES } from '@news2kindle/pipeline';
import { describe, expect, it } from 'vitest';
import { helpText } from './help.js';

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('documents every environment variable the pipeline reads', () => {
    const names = ENV_VARIABLES.flatMap((v) => v.name.split(/,\s*/));
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) expect(readme, name).toContain(`${name}`);
  });

  it('documents every flag the help texts show, and the exit codes', () => {
    const flags = new Set<string>();
    for (const topic of ['send', 'build', 'feeds check', 'feeds import', 'feeds export', 'doctor']) {
      for (const match of helpText(topic)!.matchAll(/--[a-z][a-z-]+/g)) flags.add(match[0]);
    }
    flags.delete('--help');
    for (const flag of flags) expect(readme, flag).toContain(flag);
    for (const code of ['| 0 ', '| 1 ', '| 2 ', '| 3 ', '| 130, 143 ']) expect(readme).toContain(code);
  });
});
