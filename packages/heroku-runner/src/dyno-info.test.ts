import { describe, expect, it } from 'vitest';
import { dynoInfo, parsePort } from './index.js';

describe('dynoInfo', () => {
  it.each([
    [
      { DYNO: 'web.1', PORT: '41234' },
      { kind: 'web', name: 'web.1', port: 41234 },
    ],
    [{ DYNO: 'run.4821' }, { kind: 'one-off', name: 'run.4821' }],
    [{ DYNO: 'scheduler.9012' }, { kind: 'scheduler', name: 'scheduler.9012' }],
    [{ DYNO: 'release.7' }, { kind: 'release', name: 'release.7' }],
    [{ DYNO: 'worker.2' }, { kind: 'worker', name: 'worker.2' }],
    [{ DYNO: 'clock.1' }, { kind: 'worker', name: 'clock.1' }],
    [{}, { kind: 'local' }],
    [{ PORT: '5000' }, { kind: 'local', port: 5000 }],
    [{ DYNO: '', PORT: 'abc' }, { kind: 'local' }],
  ])('%j → %j', (env, expected) => {
    expect(dynoInfo(env)).toEqual(expected);
  });
});

describe('parsePort', () => {
  it('accepts 1..65535 only', () => {
    expect(parsePort('5000')).toBe(5000);
    expect(parsePort(' 80 ')).toBe(80);
    expect(parsePort(65535)).toBe(65535);
    for (const bad of ['0', '65536', '-1', '5000abc', '', undefined, null, '3.5'])
      expect(parsePort(bad)).toBeUndefined();
  });
});
