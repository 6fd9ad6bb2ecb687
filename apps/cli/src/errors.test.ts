import { describe, expect, it } from 'vitest';
import { describeError, signalExitCode } from './errors.js';
import { UsageError } from './exit-codes.js';

const coded = (code: string, message: string, extra: object = {}) => Object.assign(new Error(message), { code }, extra);

describe('describeError', () => {
  it('maps usage, configuration and feed-list problems to exit 2', () => {
    expect(describeError(new UsageError('bad flag', 'build'))).toEqual({
      message: 'bad flag\n(see news2kindle build --help)',
      exitCode: 2,
    });
    const config = describeError(
      coded('CONFIG_INVALID', 'x', {
        problems: [
          { setting: 'format', source: 'N2K_FORMAT', expected: 'epub, azw3 or mobi', received: '"pdf"' },
          { setting: 'to', expected: 'an address' },
        ],
      }),
    );
    expect(config.exitCode).toBe(2);
    expect(config.message).toBe(
      'invalid configuration, nothing was done:\n  - N2K_FORMAT (format): expected epub, azw3 or mobi, received "pdf"\n  - to: expected an address',
    );
    expect(describeError(coded('FEED_LIST_INVALID', 'feed list line 3: bad')).exitCode).toBe(2);
  });

  it('maps a held lock and other failures to exit 1, with the causes', () => {
    expect(describeError(coded('LOCKED', 'another delivery is in progress'))).toMatchObject({ exitCode: 1 });
    const failure = describeError(new Error('store failed', { cause: new Error('EACCES: permission denied') }));
    expect(failure).toEqual({ message: 'store failed\n  caused by: EACCES: permission denied', exitCode: 1 });
  });

  it('maps signals to 130 and 143', () => {
    const stop = (signal: string) => {
      const c = new AbortController();
      c.abort(Object.assign(new Error(signal), { signal }));
      return c.signal;
    };
    expect(signalExitCode(stop('SIGINT'))).toBe(130);
    expect(signalExitCode(stop('SIGTERM'))).toBe(143);
    expect(signalExitCode(new AbortController().signal)).toBeUndefined();
    expect(describeError(coded('ABORTED', 'aborted'), stop('SIGTERM'))).toMatchObject({ exitCode: 143 });
  });
});
