import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { FeedError } from './errors.js';
import { hostOf, type Limiter } from './limiter.js';
import type { FetchFeedsOptions } from './types.js';

export const DEFAULT_USER_AGENT = 'news2kindle-feed-fetcher/0.1 (+https://github.com/news2kindle/news2kindle)';
const MAX_REDIRECTS = 5;

/** The request settings of fetchFeeds (documented there), plus what the fetch loop adds per call. */
export type HttpOptions = Pick<
  FetchFeedsOptions,
  | 'fetch'
  | 'timeoutMs'
  | 'bodyTimeoutMs'
  | 'maxBytes'
  | 'userAgent'
  | 'retries'
  | 'retryDelayMs'
  | 'maxRetryAfterMs'
  | 'signal'
> & {
  /** Gate for every request (global and per-host concurrency). */
  limiter?: Limiter;
  accept?: string;
  onRetry?: (event: { url: string; attempt: number; delayMs: number; reason: string }) => void;
};

export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface Fetched {
  /** Final URL after redirects. */
  url: string;
  status: number;
  notModified: boolean;
  contentType?: string;
  etag?: string;
  lastModified?: string;
  body: Uint8Array;
}

class Retryable extends Error {
  constructor(
    readonly error: FeedError,
    readonly retryAfterMs?: number,
  ) {
    super(error.message);
  }
}

/**
 * GETs a URL (http, https or file) with timeouts, a body cap counted after decompression (so a
 * gzip bomb stops at `maxBytes`), at most 5 redirects, and retries with exponential back-off for
 * network errors, timeouts, 5xx and 429 (honouring Retry-After) — never for other 4xx.
 */
export async function getUrl(url: string, options: HttpOptions = {}, validators?: Validators): Promise<Fetched> {
  if (/^file:/i.test(url)) return readLocal(url, options.maxBytes ?? 10 * 1024 * 1024);
  const retries = options.retries ?? 2;
  const baseDelay = options.retryDelayMs ?? 500;
  for (let attempt = 0; ; attempt++) {
    throwIfAborted(options.signal, url);
    try {
      const run = () => attemptOnce(url, options, validators);
      return await (options.limiter ? options.limiter.run(hostOf(url), run) : run());
    } catch (error) {
      if (!(error instanceof Retryable)) throw error;
      if (attempt >= retries) throw error.error;
      const maxRetryAfter = options.maxRetryAfterMs ?? 30_000;
      if (error.retryAfterMs !== undefined && error.retryAfterMs > maxRetryAfter) throw error.error;
      const backoff = baseDelay * 2 ** attempt * (1 + Math.random() * 0.2);
      const delayMs = Math.round(error.retryAfterMs ?? backoff);
      options.onRetry?.({ url, attempt: attempt + 1, delayMs, reason: error.message });
      await sleep(delayMs, options.signal, url);
    }
  }
}

async function attemptOnce(startUrl: string, options: HttpOptions, validators?: Validators): Promise<Fetched> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const controller = new AbortController();
  let timedOut: 'headers' | 'body' | undefined;
  const onAbort = () => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let timer = setTimeout(() => {
    timedOut = 'headers';
    controller.abort();
  }, timeoutMs);
  let url = startUrl;
  // fetch refuses URLs with credentials: send them as Basic auth, to the original origin only.
  const auth = basicAuth(startUrl);
  try {
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = {
        'user-agent': options.userAgent ?? DEFAULT_USER_AGENT,
        accept: options.accept ?? '*/*',
        'accept-encoding': 'gzip, deflate, br',
      };
      if (auth && new URL(url).origin === auth.origin) headers.authorization = auth.header;
      if (validators?.etag) headers['if-none-match'] = validators.etag;
      if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
      const response = await doFetch(auth ? auth.strip(url) : url, {
        headers,
        redirect: 'manual',
        signal: controller.signal,
      });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        await response.body?.cancel().catch(() => {});
        if (!location) {
          throw new FeedError('HTTP_REDIRECTS', `${response.status} redirect without a Location header`, { url });
        }
        if (hop >= MAX_REDIRECTS) {
          throw new FeedError('HTTP_REDIRECTS', `more than ${MAX_REDIRECTS} redirects, last to ${location}`, { url });
        }
        url = new URL(location, url).toString();
        if (!/^https?:/i.test(url))
          throw new FeedError('HTTP_REDIRECTS', `redirect to a non-HTTP URL: ${url}`, { url });
        continue;
      }
      const facts = {
        url,
        status: response.status,
        contentType: response.headers.get('content-type') ?? undefined,
        etag: response.headers.get('etag') ?? validators?.etag,
        lastModified: response.headers.get('last-modified') ?? validators?.lastModified,
      };
      if (response.status === 304) {
        await response.body?.cancel().catch(() => {});
        return { ...facts, notModified: true, body: new Uint8Array() };
      }
      if (response.status >= 400) {
        await response.body?.cancel().catch(() => {});
        const error = new FeedError('HTTP_STATUS', `HTTP ${response.status} ${response.statusText} for ${url}`, {
          url,
          status: response.status,
        });
        if (response.status === 429 || response.status >= 500) {
          throw new Retryable(error, retryAfter(response.headers.get('retry-after')));
        }
        throw error;
      }
      const length = Number(response.headers.get('content-length'));
      if (!response.headers.get('content-encoding') && Number.isFinite(length) && length > maxBytes) {
        await response.body?.cancel().catch(() => {});
        throw new FeedError('HTTP_TOO_LARGE', `the body is ${length} bytes, more than the limit of ${maxBytes}`, {
          url,
        });
      }
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = 'body';
        controller.abort();
      }, options.bodyTimeoutMs ?? 30_000);
      const body = await readCapped(response, maxBytes, url);
      return { ...facts, notModified: false, body };
    }
  } catch (error) {
    if (error instanceof FeedError || error instanceof Retryable) throw error;
    if (options.signal?.aborted) {
      throw new FeedError('ABORTED', `the request was aborted (${url})`, { url, cause: options.signal.reason });
    }
    if (timedOut) {
      const what =
        timedOut === 'headers'
          ? `no response within ${timeoutMs} ms`
          : `the body did not arrive within ${options.bodyTimeoutMs ?? 30_000} ms`;
      throw new Retryable(new FeedError('HTTP_TIMEOUT', `${what} (${url})`, { url, cause: error }));
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (error as Error).message;
    throw new Retryable(new FeedError('HTTP_NETWORK', `network error: ${detail} (${url})`, { url, cause: error }));
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new FeedError('HTTP_TOO_LARGE', `the body is larger than the limit of ${maxBytes} bytes (${url})`, { url });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function basicAuth(url: string): { origin: string; header: string; strip(u: string): string } | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (!parsed.username && !parsed.password) return undefined;
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  return {
    origin: parsed.origin,
    header: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    strip: (u) => {
      const copy = new URL(u);
      copy.username = '';
      copy.password = '';
      return copy.toString();
    },
  };
}

function retryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

async function readLocal(url: string, maxBytes: number): Promise<Fetched> {
  try {
    const path = fileURLToPath(url);
    const info = await stat(path);
    if (info.size > maxBytes) {
      throw new FeedError('HTTP_TOO_LARGE', `${path} is ${info.size} bytes, more than the limit of ${maxBytes}`, {
        url,
      });
    }
    return { url, status: 200, notModified: false, body: await readFile(path) };
  } catch (error) {
    if (error instanceof FeedError) throw error;
    throw new FeedError('FILE_READ', `cannot read ${url}: ${(error as Error).message}`, { url, cause: error });
  }
}

function throwIfAborted(signal: AbortSignal | undefined, url: string): void {
  if (signal?.aborted)
    throw new FeedError('ABORTED', `the request was aborted (${url})`, { url, cause: signal.reason });
}

function sleep(ms: number, signal: AbortSignal | undefined, url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      done();
      reject(new FeedError('ABORTED', `the request was aborted (${url})`, { url, cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      done();
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
