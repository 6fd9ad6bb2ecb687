import sharp from 'sharp';

// libvips keeps the results of recent operations (sharp's default: up to 50 MB, 100 operations)
// in case the same image is processed again. A book converts each image once, so the cache only
// held memory: 10–40 MB of the peak in the benchmark. The setting is process-wide, so it is turned
// off only while builds run, only when it still has sharp's defaults (a caller who chose their own
// keeps it), and put back when the last build ends.
const DEFAULTS = { memory: 50, files: 20, items: 100 };
let builds = 0;
let restore = false;

/** Turns libvips' operation cache off for the duration of a build; call the result when done. */
export function pauseSharpCache(): () => void {
  if (builds === 0) {
    const now = sharp.cache();
    restore =
      now.memory.max === DEFAULTS.memory && now.files.max === DEFAULTS.files && now.items.max === DEFAULTS.items;
    if (restore) sharp.cache(false);
  }
  builds++;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    builds--;
    if (builds === 0 && restore) sharp.cache(DEFAULTS);
  };
}
