/**
 * Largest book that fits a message of `messageBytes`: base64 turns 3 bytes into 4 characters
 * and adds a line break every 76, and headers plus the text part take a few KB.
 */
export function bookLimitFor(messageBytes: number): number {
  const overhead = 64 * 1024;
  return Math.floor(((messageBytes - overhead) * 3 * 76) / (4 * 78));
}
