// The worker side of ExtractPool: decodes a page and extracts its article, one page at a time.
// Runs the built bundle (dist/extract-worker.js); see extract-pool.ts for why a worker.
import { parentPort } from 'node:worker_threads';
import { type ExtractedArticle, extractPage, preloadFullText } from './full-text.js';

export interface ExtractJob {
  id: number;
  body: Uint8Array;
  contentType?: string;
  url: string;
}

export type ExtractReply =
  | { ready: true }
  | { id: number; ok: true; article: ExtractedArticle }
  | { id: number; ok: false; code: string; message: string };

// Loading the parser is part of starting, not of the first page's time limit.
await preloadFullText();
parentPort?.postMessage({ ready: true } satisfies ExtractReply);

parentPort?.on('message', (job: ExtractJob) => {
  let reply: ExtractReply;
  try {
    reply = { id: job.id, ok: true, article: extractPage(job.body, job.url, job.contentType) };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    reply = {
      id: job.id,
      ok: false,
      code: typeof code === 'string' ? code : 'FULL_TEXT_FAILED',
      message: error instanceof Error ? error.message : String(error),
    };
  }
  parentPort?.postMessage(reply);
});
