import { describe, expect, it } from 'vitest';
import { parseDate } from './index.js';

describe('parseDate', () => {
  it.each([
    ['Sat, 07 Sep 2002 00:00:01 GMT', '2002-09-07T00:00:01.000Z'],
    ['Sat, 07 Sep 2002 02:00:01 +0200', '2002-09-07T00:00:01.000Z'],
    ['Sat, 7 Sep 02 00:00:01 EDT', '2002-09-07T04:00:01.000Z'],
    ['07 Sept 2002 00:00 CEST', '2002-09-06T22:00:00.000Z'],
    ['Saturday, 07-Sep-2002 00:00:01 UT', '2002-09-07T00:00:01.000Z'],
    ['7 June 2026', '2026-06-07T00:00:00.000Z'],
    ['2002-09-07T00:00:01Z', '2002-09-07T00:00:01.000Z'],
    ['2002-09-07T02:00:01.250+02:00', '2002-09-07T00:00:01.250Z'],
    ['2002-09-07 00:00:01', '2002-09-07T00:00:01.000Z'],
    ['20020907T000001Z', '2002-09-07T00:00:01.000Z'],
    ['2002-09-07', '2002-09-07T00:00:00.000Z'],
    ['  Sat, 07 Sep 2002 00:00:01 GMT\n', '2002-09-07T00:00:01.000Z'],
  ])('reads %j', (input, iso) => {
    expect(parseDate(input)?.toISOString()).toBe(iso);
  });

  it.each([undefined, '', 'yesterday', 'not a date', '0000-00-00', 42])('returns undefined for %j', (input) => {
    expect(parseDate(input)).toBeUndefined();
  });
});
