import pkg from '../package.json' with { type: 'json' };

const HELP = `news2kindle ${pkg.version} — your news feeds, delivered to your Kindle as an e-book

Usage: news2kindle <command> [options]

Commands:
  send       fetch the feeds, build the book and deliver it (the daily job)
  build      build the book only: no mail, no state change
  feeds      check feeds, import or export OPML
  doctor     check configuration, mail, converters, state and deployment files

Options:
  -h, --help     show this help
  -v, --version  show the version
`;

/** The CLI's single error boundary: returns the exit code, prints, never throws for expected failures. */
export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (command === '-v' || command === '--version') {
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  process.stderr.write(`news2kindle: '${command}' is not available yet.\n`);
  return 2;
}
