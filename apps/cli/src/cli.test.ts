import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import pkg from '../package.json' with { type: 'json' };

const run = promisify(execFile);
const bin = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

describe('news2kindle bin (built)', () => {
  it('is built to dist/cli.js', () => {
    expect(existsSync(bin)).toBe(true);
  });
  it('prints its version', async () => {
    const { stdout } = await run(process.execPath, [bin, '--version']);
    expect(stdout.trim()).toBe(pkg.version);
  });
  it('prints help naming every command', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    for (const cmd of ['send', 'build', 'feeds', 'doctor']) expect(stdout).toContain(cmd);
  });
});
