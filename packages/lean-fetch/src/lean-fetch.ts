import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { decodeBody } from './decode.js';

export interface LeanFetchOptions {
  /**
   * Idle keep-alive sockets are closed after this long. Servers commonly close theirs after 5 s,
   * so a shorter wait avoids most writes into a socket the server already closed. Default 4000.
   */
  idleSocketMs?: number;
  /**
   * A request whose socket stays silent this long fails (undici's default header and body
   * timeouts are 300 s too). Callers wanting less pass an AbortSignal. Default 300000.
   */
  inactivityMs?: number;
  /** Redirects followed with `redirect: 'follow'` (fetch's limit is 20). */
  maxRedirects?: number;
}

type Fetch = typeof globalThis.fetch;

/** One request as it goes out (after redirects rewrote it). */
interface Outgoing {
  url: URL;
  method: string;
  headers: Map<string, string>;
  body: Uint8Array | undefined;
  signal: AbortSignal | undefined;
}

/**
 * A response without the WHATWG wrapping: what `request` returns. Saves the Response, Headers and
 * web-stream objects per request (~6 MB less peak memory over 1000 requests than reading the same
 * bodies through `fetch`), for callers that read bodies as Node streams.
 */
export interface LeanResponse {
  status: number;
  statusText: string;
  /** The final URL, after redirects. */
  url: string;
  redirected: boolean;
  /** Node's header object: lower-case names, repeated headers joined with ', ' (set-cookie: an array). */
  headers: IncomingHttpHeaders;
  /** Header names and values as received, alternating. */
  rawHeaders: string[];
  /** The decoded body, or null for 204/205/304 and HEAD. Destroy it to stop reading (frees the socket). */
  body: Readable | null;
}

export type LeanRequest = (input: string | URL | Request, init?: RequestInit) => Promise<LeanResponse>;

/** The two faces of one client: they share keep-alive agents and behave alike. */
export interface LeanClient {
  fetch: Fetch;
  request: LeanRequest;
}

const NULL_BODY = new Set([101, 103, 204, 205, 304]);
const REDIRECT = new Set([301, 302, 303, 307, 308]);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Builds a fetch() on node:http/https. It keeps the parts of the fetch contract callers rely on
 * (Response with a web stream body, transparent gzip/deflate/br, redirect modes, AbortSignal,
 * TypeError('fetch failed') with the socket error as `cause`) and leaves out what a server-side
 * reader does not need (CORS, cookies, caches, FormData/Blob bodies).
 */
export function createLeanFetch(options: LeanFetchOptions = {}): Fetch {
  return createLeanClient(options).fetch;
}

/** A client whose `fetch` returns Responses and whose `request` returns LeanResponses. */
export function createLeanClient(options: LeanFetchOptions = {}): LeanClient {
  const idleSocketMs = options.idleSocketMs ?? 4000;
  const inactivityMs = options.inactivityMs ?? 300_000;
  const maxRedirects = options.maxRedirects ?? 20;
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: idleSocketMs, scheduling: 'lifo' }),
    'https:': new https.Agent({ keepAlive: true, timeout: idleSocketMs, scheduling: 'lifo' }),
  };

  const request = async (input: string | URL | Request, init: RequestInit = {}): Promise<LeanResponse> => {
    // Strings and URLs first: on Node 20 merely reading the global `Request` (or `Headers`) loads
    // undici (1.4 MB of live heap in the feed-fetcher bench) that leanRequest never needs.
    const request =
      typeof input === 'object' && !(input instanceof URL) && input instanceof Request ? input : undefined;
    let url = parseUrl(request ? request.url : (input as string | URL));
    let method = (init.method ?? request?.method ?? 'GET').toUpperCase();
    const headers = headerMap(init.headers ?? request?.headers);
    if (!headers.has('accept')) headers.set('accept', '*/*');
    if (!headers.has('accept-encoding')) headers.set('accept-encoding', 'gzip, deflate, br');
    const payload = await requestBody(init.body ?? (request?.body ? await request.arrayBuffer() : undefined), method);
    let body = payload?.bytes;
    if (payload?.type && !headers.has('content-type')) headers.set('content-type', payload.type);
    const signal = init.signal ?? request?.signal ?? undefined;
    const redirect = init.redirect ?? request?.redirect ?? 'follow';
    signal?.throwIfAborted();

    for (let hop = 0; ; hop++) {
      const res = await send({ url, method, headers, body, signal });
      if (!res.statusCode || res.statusCode < 200 || res.statusCode > 599) {
        res.destroy();
        throw new TypeError('fetch failed', { cause: new Error(`invalid HTTP status ${res.statusCode}`) });
      }
      const location = res.headers.location;
      if (redirect !== 'manual' && REDIRECT.has(res.statusCode ?? 0) && location) {
        res.resume();
        if (redirect === 'error')
          throw new TypeError('fetch failed', { cause: new Error(`unexpected redirect to ${location}`) });
        if (hop >= maxRedirects) throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') });
        const next = parseUrl(new URL(location, url));
        if (next.origin !== url.origin) headers.delete('authorization');
        if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
          if (method !== 'HEAD') method = 'GET';
          body = undefined;
          for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language']) {
            headers.delete(name);
          }
        }
        url = next;
        continue;
      }
      return toLean(res, url, hop > 0, method, signal);
    }
  };

  const leanFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    toResponse(await request(input, init));

  /** One request; a keep-alive socket the server closed meanwhile gets one fresh retry. */
  async function send(out: Outgoing): Promise<IncomingMessage> {
    try {
      return await sendOnce(out);
    } catch (error) {
      const stale = (error as { reusedSocket?: boolean }).reusedSocket;
      const code = ((error as TypeError).cause as NodeJS.ErrnoException | undefined)?.code;
      if (stale && SAFE_METHODS.has(out.method) && (code === 'ECONNRESET' || code === 'EPIPE')) {
        return sendOnce(out);
      }
      throw error;
    }
  }

  function sendOnce({ url, method, headers, body, signal }: Outgoing): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const protocol = url.protocol as 'http:' | 'https:';
      const client = protocol === 'https:' ? https : http;
      const outgoing: Record<string, string> = {};
      headers.forEach((value, name) => {
        outgoing[name] = value;
      });
      if (body) outgoing['content-length'] = String(body.byteLength);
      let req: http.ClientRequest;
      try {
        req = client.request(url, { method, headers: outgoing, agent: agents[protocol] });
      } catch (cause) {
        // Node refuses invalid header names or values before sending anything, as fetch does.
        reject(new TypeError('fetch failed', { cause }));
        return;
      }
      const onAbort = () => req.destroy(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      req.setTimeout(inactivityMs, () => {
        req.destroy(Object.assign(new Error(`no data for ${inactivityMs} ms`), { code: 'UND_ERR_SOCKET_TIMEOUT' }));
      });
      req.once('response', (res) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(res);
      });
      req.once('error', (error) => {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) return reject(signal.reason);
        reject(Object.assign(new TypeError('fetch failed', { cause: error }), { reusedSocket: req.reusedSocket }));
      });
      req.end(body);
    });
  }

  function toLean(
    res: IncomingMessage,
    url: URL,
    redirected: boolean,
    method: string,
    signal: AbortSignal | undefined,
  ): LeanResponse {
    const status = res.statusCode ?? 0;
    let body: Readable | null = null;
    if (NULL_BODY.has(status) || method === 'HEAD') {
      res.resume();
    } else {
      const decoded = decodeBody(res, res.headers['content-encoding']);
      // Abort after the headers: the body stream errors with the signal's reason, as in fetch.
      const onAbort = () => decoded.destroy(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      decoded.once('close', () => signal?.removeEventListener('abort', onAbort));
      body = decoded;
    }
    return {
      status,
      statusText: res.statusMessage ?? '',
      url: url.href,
      redirected,
      headers: res.headers,
      rawHeaders: res.rawHeaders,
      body,
    };
  }

  return { fetch: leanFetch as Fetch, request };
}

function toResponse(lean: LeanResponse): Response {
  const headers = new Headers();
  for (let i = 0; i < lean.rawHeaders.length; i += 2) {
    headers.append(lean.rawHeaders[i] as string, lean.rawHeaders[i + 1] as string);
  }
  const stream = lean.body ? (Readable.toWeb(lean.body) as ReadableStream<Uint8Array>) : null;
  const response = new Response(stream, { status: lean.status, statusText: lean.statusText, headers });
  Object.defineProperty(response, 'url', { value: lean.url });
  Object.defineProperty(response, 'redirected', { value: lean.redirected });
  return response;
}

const shared = createLeanClient();
/** The fetch every news2kindle package uses by default: one shared set of keep-alive agents. */
export const leanFetch: Fetch = shared.fetch;
/** `leanFetch` without the WHATWG wrapping (a LeanResponse with a Node stream body); same agents. */
export const leanRequest: LeanRequest = shared.request;

/**
 * Request headers as a Map of lower-case names (repeated names joined with ', '), without the
 * cost of a Headers object per request.
 */
function headerMap(init: RequestInit['headers']): Map<string, string> {
  const map = new Map<string, string>();
  if (!init) return map;
  // A Headers object is iterable as [name, value] pairs; telling it from a record by its
  // iterator, not by `instanceof Headers`, keeps undici unloaded (see request above).
  const entries: Iterable<[string, string | readonly string[]]> =
    Array.isArray(init) || typeof (init as Headers)[Symbol.iterator] === 'function'
      ? (init as Iterable<[string, string]>)
      : Object.entries(init);
  for (const [name, given] of entries) {
    const value = typeof given === 'string' ? given : given.join(', ');
    const key = name.toLowerCase();
    const previous = map.get(key);
    map.set(key, previous === undefined ? String(value) : `${previous}, ${value}`);
  }
  return map;
}

function parseUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch (cause) {
    throw new TypeError(`Failed to parse URL from ${String(input)}`, { cause });
  }
  if (url.username || url.password) {
    throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${url.origin}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError('fetch failed', { cause: new Error(`unsupported protocol ${url.protocol}`) });
  }
  return url;
}

async function requestBody(
  body: RequestInit['body'],
  method: string,
): Promise<{ bytes: Uint8Array; type?: string } | undefined> {
  if (body === undefined || body === null) return undefined;
  if (method === 'GET' || method === 'HEAD') throw new TypeError('Request with GET/HEAD method cannot have body.');
  if (body instanceof Uint8Array) return { bytes: body };
  if (body instanceof ArrayBuffer) return { bytes: new Uint8Array(body) };
  // Strings, URLSearchParams, Blob, FormData, streams: the platform serialises them and names the type.
  const encoded = new Response(body);
  const type = encoded.headers.get('content-type') ?? undefined;
  return { bytes: new Uint8Array(await encoded.arrayBuffer()), ...(type ? { type } : {}) };
}
