import { describe, expect, it } from 'vitest';
import { ConverterError } from './index.js';

describe('ConverterError', () => {
  it('carries a code and a cause', () => {
    const cause = new Error('root');
    const error = new ConverterError('EXAMPLE', 'something happened', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConverterError');
    expect(error.code).toBe('EXAMPLE');
    expect(error.cause).toBe(cause);
  });
});
