import { PassThrough, type Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';

// Lenient like browsers and undici: a body cut short after valid compressed data still yields
// what arrived instead of an error.
const LENIENT = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
const LENIENT_BROTLI = {
  flush: zlib.constants.BROTLI_OPERATION_FLUSH,
  finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
};

/**
 * Undoes the Content-Encoding of a response body, as fetch does: codings apply in order, so they
 * are undone from the last. Unknown codings leave the body as it came (fetch does the same).
 * Decompression is streamed with back-pressure, so a reader that stops (a size cap) stops the
 * inflater too and a decompression bomb never expands beyond what was read.
 */
export function decodeBody(body: Readable, contentEncoding: string | undefined): Readable {
  const codings = (contentEncoding ?? '')
    .toLowerCase()
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c && c !== 'identity');
  if (codings.length === 0 || !codings.every((c) => DECODERS[c])) return body;
  let stream = body;
  for (const coding of codings.reverse()) {
    const decode = DECODERS[coding] as (source: Readable) => Readable;
    stream = decode(stream);
  }
  return stream;
}

const DECODERS: Record<string, (source: Readable) => Readable> = {
  gzip: (source) => through(source, zlib.createGunzip(LENIENT)),
  'x-gzip': (source) => through(source, zlib.createGunzip(LENIENT)),
  br: (source) => through(source, zlib.createBrotliDecompress(LENIENT_BROTLI)),
  deflate: inflateEither,
};

function through(source: Readable, transform: NodeJS.ReadWriteStream & Readable): Readable {
  // pipeline destroys every stage when one fails or the reader gives up.
  pipeline(source, transform, () => {});
  return transform;
}

/**
 * "deflate" is meant to be zlib-wrapped, but many servers send raw deflate. The first byte tells
 * them apart (a zlib header's low nibble is 8, the deflate method), as browsers and undici check.
 */
function inflateEither(source: Readable): Readable {
  const out = new PassThrough();
  const onEnd = () => out.end();
  const onError = (error: Error) => out.destroy(error);
  source.once('end', onEnd);
  source.once('error', onError);
  source.once('data', (chunk: Buffer) => {
    source.pause();
    source.off('end', onEnd);
    source.off('error', onError);
    source.unshift(chunk);
    const zlibWrapped = ((chunk[0] ?? 0) & 0x0f) === 0x08;
    const inflater = zlibWrapped ? zlib.createInflate(LENIENT) : zlib.createInflateRaw(LENIENT);
    pipeline(source, inflater, out, () => {});
  });
  // A reader that gives up before the first byte must still free the socket.
  out.once('close', () => {
    if (!source.destroyed && !source.readableEnded) source.destroy();
  });
  return out;
}
