import { describe, expect, it } from 'vitest';
import { releaseBuffer } from './release.js';

describe('releaseBuffer', () => {
  it('frees a buffer that owns its memory', () => {
    const own = Buffer.allocUnsafeSlow(200_000);
    releaseBuffer(own);
    expect(own.length).toBe(0);
  });

  it('leaves alone slices, small buffers from the shared pool, and memory owned by others', () => {
    const whole = Buffer.alloc(100_000, 1);
    const slice = whole.subarray(10, 90_000);
    releaseBuffer(slice);
    expect(slice.length).toBe(89_990);
    expect(whole.length).toBe(100_000);
    const pooled = Buffer.from('small');
    releaseBuffer(pooled);
    expect(pooled.toString()).toBe('small');
    const shared = Buffer.from(new SharedArrayBuffer(8192));
    releaseBuffer(shared);
    expect(shared.length).toBe(8192);
  });
});
