import { describe, expect, it } from 'vitest';
import * as api from './index.js';
import { MailerError, redact } from './index.js';

describe('MailerError', () => {
  it('carries a code, the SMTP facts, the stage and a cause', () => {
    const cause = new Error('root');
    const error = new MailerError('AUTH_FAILED', 'login refused', {
      cause,
      responseCode: 535,
      response: '535 5.7.8 no',
      stage: 'auth',
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('MailerError');
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.responseCode).toBe(535);
    expect(error.stage).toBe('auth');
    expect(error.transient).toBe(false);
    expect(error.cause).toBe(cause);
  });
});

describe('redact', () => {
  it('removes a secret and the base64 form AUTH puts on the wire', () => {
    const b64 = Buffer.from('hunter22').toString('base64');
    expect(redact(`pw hunter22 and ${b64}`, ['hunter22'])).toBe('pw *** and ***');
  });
});

describe('main entry', () => {
  it('keeps adapters and the vitest-based suite out of the main entry', () => {
    expect(Object.keys(api)).not.toContain('createSmtpTransport');
    expect(Object.keys(api)).not.toContain('runTransportConformance');
    expect(Object.keys(api)).toContain('sendToKindle');
  });
});
