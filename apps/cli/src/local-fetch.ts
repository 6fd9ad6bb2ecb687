import { readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.avif': 'image/avif',
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
};

/**
 * A fetch that also answers `file:` URLs, so local feeds (the bundled examples, a folder of
 * saved feeds) can show their images: Node's fetch refuses `file:`. Only files under `roots`
 * (the feeds file's folder) are served, so a feed from the web cannot pull a private file
 * from this machine into the book; everything else goes to the real fetch unchanged.
 */
export function createLocalFetch(roots: string[], base: typeof fetch = globalThis.fetch): typeof fetch {
  const allowed = roots.map((root) => resolve(root));
  return async (input, init) => {
    const href = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!href.startsWith('file:')) return base(input, init);
    init?.signal?.throwIfAborted();
    let path: string;
    try {
      path = resolve(fileURLToPath(href));
    } catch {
      return new Response(null, { status: 400, statusText: 'not a local file URL' });
    }
    if (!allowed.some((root) => path === root || path.startsWith(root + sep))) {
      return new Response(null, { status: 403, statusText: 'outside the feeds folder' });
    }
    try {
      const bytes = await readFile(path);
      return new Response(bytes, {
        status: 200,
        headers: {
          'content-type': TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
          'content-length': String(bytes.byteLength),
        },
      });
    } catch {
      return new Response(null, { status: 404, statusText: 'no such file' });
    }
  };
}
