import { describe, expect, it } from 'vitest';
import { sinceFor } from './fetch-stage.js';

const now = new Date('2026-11-29T06:00:00Z');
const config = { since: 24 * 3_600_000, retentionDays: 30 };

describe('sinceFor', () => {
  it('uses the window for a feed never delivered', () => {
    expect(sinceFor(undefined, config, now).toISOString()).toBe('2026-11-28T06:00:00.000Z');
  });

  it('reaches back to the last delivery when it is older than the window', () => {
    const state = { url: 'f', lastSuccessAt: new Date('2026-11-25T06:00:00Z') };
    expect(sinceFor(state, config, now).toISOString()).toBe('2026-11-25T06:00:00.000Z');
  });

  it('keeps the whole window after a recent delivery, for articles that appear late', () => {
    const state = { url: 'f', lastSuccessAt: new Date('2026-11-29T04:00:00Z') };
    expect(sinceFor(state, config, now).toISOString()).toBe('2026-11-28T06:00:00.000Z');
  });

  it('never reaches before the retention cut-off', () => {
    const state = { url: 'f', lastSuccessAt: new Date('2026-01-01T00:00:00Z') };
    expect(sinceFor(state, config, now).toISOString()).toBe('2026-10-30T06:00:00.000Z');
  });
});
