import { describe, expect, it } from 'vitest';
import { FeedError } from './index.js';

describe('FeedError', () => {
  it('carries a code and a cause', () => {
    const cause = new Error('root');
    const error = new FeedError('EXAMPLE', 'something happened', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('FeedError');
    expect(error.code).toBe('EXAMPLE');
    expect(error.cause).toBe(cause);
  });
});
