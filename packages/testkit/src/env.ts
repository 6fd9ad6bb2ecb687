import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * The real-world corpus folder (`N2K_CORPUS`), or undefined when unset (tests then skip and say so).
 * Set but missing is a broken setup, never a silent skip.
 */
export function corpusDir(): string | undefined {
  const dir = process.env.N2K_CORPUS;
  if (!dir) {
    console.warn('[testkit] N2K_CORPUS is unset: corpus tests are skipped');
    return undefined;
  }
  if (!existsSync(dir)) throw new Error(`N2K_CORPUS=${dir} does not exist`);
  return dir;
}

/**
 * Whether an external tool runs here. Absent on a user's machine: false, with the reason printed,
 * so the test can skip. Absent when CI=true: an error, because CI must test against the real tool.
 */
export function requireTool(name: string, command: string, args: string[] = ['--version']): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 60_000 });
    return true;
  } catch (error) {
    const reason = `${name} is not available (${command} ${args.join(' ')}: ${(error as Error).message.split('\n')[0]})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; it is required when CI=true`);
    console.warn(`[testkit] ${reason}: tests that need it are skipped`);
    return false;
  }
}
