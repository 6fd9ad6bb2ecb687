import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { FeedError } from './errors.js';
import type { ExtractJob, ExtractReply } from './extract-worker.js';
import type { ExtractedArticle } from './full-text.js';

export interface ExtractPoolOptions {
  /** A page taking longer than this to decode and extract fails; its worker is replaced. Default 20000. */
  timeoutMs?: number;
  /** Heap limit of the worker. A page needing more fails; its worker is replaced. Default 96. */
  maxHeapMb?: number;
}

const STARTUP_MS = 30_000;

interface Pending {
  job: ExtractJob;
  resolve: (article: ExtractedArticle) => void;
  reject: (error: FeedError) => void;
}

/**
 * Full-text extraction in a worker thread, one page at a time.
 *
 * Why a worker: (1) a hostile or pathological page (a 10 MB DOM, Readability going quadratic)
 * can take seconds of CPU; in a worker it is stopped at `timeoutMs` and never blocks the event
 * loop the fetch timeouts run on; (2) a page that needs more than `maxHeapMb` kills its worker
 * with an out-of-memory error instead of the process; (3) the worker's small young generation
 * keeps the garbage of parsing a thousand pages from inflating the process (measured in the
 * package bench: see README); (4) extraction runs beside fetching and feed parsing.
 */
export class ExtractPool {
  readonly #timeoutMs: number;
  readonly #maxHeapMb: number;
  #worker: Worker | undefined;
  /** The worker has loaded its parser and takes pages. */
  #ready = false;
  #current: Pending | undefined;
  #timer: NodeJS.Timeout | undefined;
  readonly #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;

  constructor(options: ExtractPoolOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 20_000;
    this.#maxHeapMb = options.maxHeapMb ?? 96;
  }

  /** Decodes the page bytes (as decodeBytes does) and extracts the article (as extractFullText does). */
  extract(body: Uint8Array, url: string, contentType?: string): Promise<ExtractedArticle> {
    if (this.#closed) return Promise.reject(new FeedError('ABORTED', 'the extractor is closed', { url }));
    // Transferring hands the bytes over without a copy; a view into a shared pool is copied first.
    const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : body.slice();
    const job: ExtractJob = { id: this.#nextId++, body: own, url, ...(contentType ? { contentType } : {}) };
    return new Promise((resolve, reject) => {
      this.#queue.push({ job, resolve, reject });
      this.#pump();
    });
  }

  /** Stops the worker; queued pages fail with ABORTED. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const pending of this.#queue.splice(0)) {
      pending.reject(new FeedError('ABORTED', 'the extractor was closed', { url: pending.job.url }));
    }
    if (this.#current) this.#fail(new FeedError('ABORTED', 'the extractor was closed', { url: this.#current.job.url }));
    await this.#stopWorker();
  }

  #pump(): void {
    if (this.#current || this.#closed) return;
    const next = this.#queue.shift();
    if (!next) {
      // Idle: an idle worker must not keep the process alive.
      this.#worker?.unref();
      return;
    }
    let worker: Worker;
    try {
      worker = this.#ensureWorker();
    } catch (cause) {
      next.reject(
        new FeedError('FULL_TEXT_FAILED', 'the extraction worker could not start', { url: next.job.url, cause }),
      );
      this.#pump();
      return;
    }
    worker.ref();
    this.#current = next;
    if (this.#ready) {
      this.#start(worker, next);
      return;
    }
    // A worker that cannot even load its parser must not leave the page waiting forever.
    this.#timer = setTimeout(() => {
      this.#fail(
        new FeedError('FULL_TEXT_FAILED', `the extraction worker did not start within ${STARTUP_MS} ms`, {
          url: next.job.url,
        }),
      );
      void this.#stopWorker();
      this.#pump();
    }, STARTUP_MS);
  }

  /** Posts the current page and starts its clock. */
  #start(worker: Worker, next: Pending): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#fail(
        new FeedError('FULL_TEXT_FAILED', `extracting the article took longer than ${this.#timeoutMs} ms`, {
          url: next.job.url,
        }),
      );
      void this.#stopWorker();
      this.#pump();
    }, this.#timeoutMs);
    worker.postMessage(next.job, [next.job.body.buffer as ArrayBuffer]);
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(workerFile(), {
      resourceLimits: { maxOldGenerationSizeMb: this.#maxHeapMb, maxYoungGenerationSizeMb: 4 },
      // The worker reports through messages only; its stdout/stderr are not the caller's.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    worker.on('message', (reply: ExtractReply) => {
      if ('ready' in reply) {
        if (this.#worker !== worker) return;
        this.#ready = true;
        if (this.#current) this.#start(worker, this.#current);
        return;
      }
      const pending = this.#current;
      if (!pending || pending.job.id !== reply.id) return;
      this.#settle();
      if (reply.ok) pending.resolve(reply.article);
      else pending.reject(new FeedError(reply.code, reply.message, { url: pending.job.url }));
      this.#pump();
    });
    const onDeath = (cause: unknown) => {
      if (this.#worker !== worker) return;
      this.#worker = undefined;
      this.#ready = false;
      const pending = this.#current;
      if (pending) {
        const outOfMemory = (cause as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
        this.#fail(
          new FeedError(
            'FULL_TEXT_FAILED',
            outOfMemory
              ? `the page needs more than ${this.#maxHeapMb} MB to extract`
              : 'the extraction worker stopped unexpectedly',
            { url: pending.job.url, cause },
          ),
        );
      }
      this.#pump();
    };
    worker.on('error', onDeath);
    worker.on('exit', (code) => onDeath(new Error(`worker exited with code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #fail(error: FeedError): void {
    const pending = this.#current;
    this.#settle();
    pending?.reject(error);
  }

  #settle(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#current = undefined;
  }

  async #stopWorker(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#ready = false;
    if (worker) await worker.terminate();
  }
}

/**
 * The worker runs the built bundle next to this module. Under the test runner this module is the
 * TypeScript source, which a worker cannot load, so the package's dist/ is used (tests build first).
 */
function workerFile(): string {
  const url = import.meta.url.endsWith('.ts')
    ? new URL('../dist/extract-worker.js', import.meta.url)
    : new URL('./extract-worker.js', import.meta.url);
  return fileURLToPath(url);
}
