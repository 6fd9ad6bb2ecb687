import { describe, expect, it } from 'vitest';
import { HerokuError } from './index.js';

describe('HerokuError', () => {
  it('carries a code and a cause', () => {
    const cause = new Error('root');
    const error = new HerokuError('EXAMPLE', 'something happened', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('HerokuError');
    expect(error.code).toBe('EXAMPLE');
    expect(error.cause).toBe(cause);
  });
});
