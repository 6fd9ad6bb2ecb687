import { describe, expect, it } from 'vitest';
import { PipelineError } from './index.js';

describe('PipelineError', () => {
  it('carries a code and a cause', () => {
    const cause = new Error('root');
    const error = new PipelineError('EXAMPLE', 'something happened', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PipelineError');
    expect(error.code).toBe('EXAMPLE');
    expect(error.cause).toBe(cause);
  });
});
