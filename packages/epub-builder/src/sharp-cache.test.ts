import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { pauseSharpCache } from './sharp-cache.js';

const limits = () => {
  const c = sharp.cache();
  return { memory: c.memory.max, files: c.files.max, items: c.items.max };
};

describe('pauseSharpCache', () => {
  afterEach(() => {
    sharp.cache(true);
  });

  it("turns sharp's default cache off while builds run and puts it back after the last one", () => {
    sharp.cache(true);
    const first = pauseSharpCache();
    const second = pauseSharpCache();
    expect(limits()).toEqual({ memory: 0, files: 0, items: 0 });
    first();
    first(); // a second call must not end the other build's pause
    expect(limits()).toEqual({ memory: 0, files: 0, items: 0 });
    second();
    expect(limits()).toEqual({ memory: 50, files: 20, items: 100 });
  });

  it('leaves a cache the caller configured alone', () => {
    sharp.cache({ memory: 10, files: 2, items: 5 });
    const done = pauseSharpCache();
    expect(limits()).toEqual({ memory: 10, files: 2, items: 5 });
    done();
    expect(limits()).toEqual({ memory: 10, files: 2, items: 5 });
  });
});
