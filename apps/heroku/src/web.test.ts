import { describe, expect, it } from 'vitest';

describe('heroku app', () => {
  it('has a web entry', async () => {
    const { existsSync } = await import('node:fs');
    expect(existsSync(new URL('./web.ts', import.meta.url))).toBe(true);
  });
});
