import { describe, expect, it } from 'vitest';
import { parseCommand } from './args.js';
import { UsageError } from './exit-codes.js';

const usage = (argv: string[]) => {
  try {
    parseCommand(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as UsageError).message;
  }
  throw new Error(`expected a usage error for ${argv.join(' ')}`);
};

describe('parseCommand', () => {
  it('reads help and version at the top level and per command', () => {
    expect(parseCommand([])).toEqual({ name: 'help' });
    expect(parseCommand(['--version'])).toEqual({ name: 'version' });
    expect(parseCommand(['-v'])).toEqual({ name: 'version' });
    expect(parseCommand(['send', '--help'])).toEqual({ name: 'help', topic: 'send' });
    expect(parseCommand(['feeds', 'import', '-h'])).toEqual({ name: 'help', topic: 'feeds import' });
    expect(parseCommand(['help', 'feeds', 'check'])).toEqual({ name: 'help', topic: 'feeds check' });
  });

  it('reads send with every selection flag, typed', () => {
    expect(
      parseCommand([
        'send',
        '--feeds',
        'my.txt',
        '--since',
        '12h',
        '--max-per-feed',
        '7',
        '--full-text',
        'always',
        '--device',
        'Scribe',
        '--format',
        'azw3',
        '--no-images',
        '--dry-run',
        '--json',
        '--outbox',
        'out',
        '--data-dir',
        'state',
      ]),
    ).toEqual({
      name: 'send',
      options: {
        feeds: 'my.txt',
        since: '12h',
        maxPerFeed: 7,
        fullText: 'always',
        device: 'scribe',
        format: 'azw3',
        images: false,
        dryRun: true,
        json: true,
        outbox: 'out',
        dataDir: 'state',
      },
    });
    expect(parseCommand(['send'])).toEqual({ name: 'send', options: { dryRun: false, json: false } });
  });

  it("requires --out for build and accepts the pipeline's durations for --since", () => {
    expect(usage(['build'])).toMatch(/--out FILE is required/);
    expect(parseCommand(['build', '-o', 'x.epub', '--since', '1d12h'])).toEqual({
      name: 'build',
      options: { out: 'x.epub', since: '1d12h', json: false },
    });
    expect(parseCommand(['build', '-o', 'x.epub', '--since', '12'])).toMatchObject({ options: { since: '12' } });
    expect(usage(['build', '-o', 'x.epub', '--since', '2026-11-01'])).toMatch(/expected a duration/);
  });

  it('reads the feeds subcommands and doctor', () => {
    expect(parseCommand(['feeds', 'import', 'subs.opml', '--out', 'f.txt'])).toEqual({
      name: 'feeds import',
      options: { file: 'subs.opml', out: 'f.txt' },
    });
    expect(parseCommand(['feeds', 'export'])).toEqual({ name: 'feeds export', options: {} });
    expect(parseCommand(['feeds', 'check', '--json'])).toEqual({ name: 'feeds check', options: { json: true } });
    expect(parseCommand(['doctor', 'apps/heroku'])).toEqual({
      name: 'doctor',
      options: { dir: 'apps/heroku', json: false },
    });
    expect(parseCommand(['doctor'])).toMatchObject({ options: { dir: '.' } });
  });

  it('rejects unknown commands, flags and bad values with a clear message', () => {
    expect(usage(['sned'])).toMatch(/unknown command "sned"/);
    expect(usage(['--frobnicate'])).toMatch(/options come after the command/);
    expect(usage(['send', '--frobnicate'])).toBe('unknown option --frobnicate');
    expect(usage(['send', '--feeds'])).toBe('--feeds needs a value');
    expect(usage(['send', '--dry-run=yes'])).toMatch(/--dry-run/);
    expect(usage(['send', '--max-per-feed', '0'])).toMatch(/expected a whole number of 1 or more/);
    expect(usage(['send', '--max-per-feed', 'ten'])).toMatch(/--max-per-feed ten/);
    expect(usage(['build', '-o', 'x', '--full-text', 'sometimes'])).toBe(
      '--full-text sometimes: expected auto, always, never',
    );
    expect(usage(['build', '-o', 'x', '--format', 'pdf'])).toBe('--format pdf: expected epub, azw3, mobi');
    expect(usage(['send', '--since', 'yesterday'])).toMatch(/expected a duration such as 90m, 24h/);
    expect(usage(['send', 'extra'])).toBe('unexpected argument "extra"');
    expect(usage(['feeds'].concat('frob'))).toMatch(/unknown feeds command "frob"/);
    expect(usage(['feeds', 'import'])).toMatch(/needs the OPML file/);
    expect(usage(['send', '--images', '--no-images'])).toMatch(/contradict/);
  });

  it('names the command whose help to read', () => {
    try {
      parseCommand(['feeds', 'import', 'a', 'b']);
    } catch (error) {
      expect((error as UsageError).command).toBe('feeds import');
    }
  });
});
