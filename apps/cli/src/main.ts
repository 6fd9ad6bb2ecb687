import pkg from '../package.json' with { type: 'json' };
import { type Command, parseCommand } from './args.js';
import { describeError } from './errors.js';
import { helpText } from './help.js';
import { createOutput, type Io } from './io.js';

/** The real process, for the bin. */
export function processIo(signal?: AbortSignal): Io {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd(), signal };
}

/**
 * The CLI's single error boundary: parses, runs one command, prints, and returns the exit code.
 * Expected failures never throw out of here.
 */
export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const output = createOutput(io);
  let command: Command | undefined;
  try {
    command = parseCommand(argv);
    switch (command.name) {
      case 'help': {
        const text = helpText(command.topic);
        if (text === undefined) {
          output.err(`news2kindle: no help for "${command.topic}"; try news2kindle --help\n`);
          return 2;
        }
        output.out(text);
        return 0;
      }
      case 'version':
        output.out(`${pkg.version}\n`);
        return 0;
      // Commands load on demand: --help, --version and usage errors answer without loading
      // the libraries (image processing, PostgreSQL, HTML parsing), which takes most of a second.
      case 'send':
        return await (await import('./commands/send.js')).runSend(command.options, io, output);
      case 'build':
        return await (await import('./commands/build.js')).runBuild(command.options, io, output);
      case 'feeds check':
        return await (await import('./commands/feeds-check.js')).checkFeeds(command.options, io, output);
      case 'feeds import':
        return await (await import('./commands/feeds.js')).runFeedsImport(command.options, io, output);
      case 'feeds export':
        return await (await import('./commands/feeds.js')).runFeedsExport(command.options, io, output);
      case 'doctor':
        return await (await import('./commands/doctor.js')).runDoctor(command.options, io, output);
    }
  } catch (error) {
    const { message, exitCode } = describeError(error, io.signal);
    output.err(`${output.style.red('news2kindle:')} ${message}\n`);
    // A script reading --json gets a JSON answer on stdout even when the command could not run.
    if (command && 'options' in command && 'json' in command.options && command.options.json) {
      const code = String((error as { code?: unknown } | null)?.code ?? 'FAILED');
      output.out(`${JSON.stringify({ error: { code, message, exitCode } }, null, 2)}\n`);
    }
    if (io.env.N2K_DEBUG && error instanceof Error && error.stack) output.err(`${error.stack}\n`);
    return exitCode;
  }
}
