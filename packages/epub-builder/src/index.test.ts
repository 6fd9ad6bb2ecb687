import { describe, expect, it } from 'vitest';
import { EpubError } from './index.js';

describe('EpubError', () => {
  it('carries a code and a cause', () => {
    const cause = new Error('root');
    const error = new EpubError('EXAMPLE', 'something happened', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('EpubError');
    expect(error.code).toBe('EXAMPLE');
    expect(error.cause).toBe(cause);
  });
});
