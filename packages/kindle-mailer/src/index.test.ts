import { describe, expect, it } from 'vitest';
import { MailerError } from './index.js';

describe('MailerError', () => {
  it('carries a code and a cause', () => {
    const cause = new Error('root');
    const error = new MailerError('EXAMPLE', 'something happened', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MailerError');
    expect(error.code).toBe('EXAMPLE');
    expect(error.cause).toBe(cause);
  });
});
