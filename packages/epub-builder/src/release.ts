// Image bytes that live a while (queued for conversion, or for the disk) reach V8's old
// generation, where their memory is freed only at the next major garbage collection: over a book
// that was 20–30 MB of dead image bytes at the peak, in glibc arenas that then stayed fragmented.

/**
 * Frees a buffer's memory now: moving it out (a transfer) detaches this buffer, and the new owner,
 * dropped at once, dies young. Only for a buffer that owns its whole memory (a slice of Node's
 * shared pool must never be detached) and that nobody reads any more.
 */
export function releaseBuffer(buffer: Uint8Array): void {
  const memory = buffer.buffer;
  if (!(memory instanceof ArrayBuffer)) return;
  if (buffer.byteOffset !== 0 || memory.byteLength !== buffer.length || buffer.length < 4096) return;
  try {
    structuredClone(memory, { transfer: [memory] });
  } catch {
    // Not transferable (memory owned by native code): the garbage collector frees it as before.
  }
}
