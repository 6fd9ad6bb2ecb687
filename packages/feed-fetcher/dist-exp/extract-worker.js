import { preloadFullText, decodeBytes, extractFullText } from './chunk-TDLV3WTL.js';
import { parentPort } from 'worker_threads';

preloadFullText();
parentPort?.postMessage({ ready: true });
parentPort?.on("message", (job) => {
  let reply;
  try {
    const html = decodeBytes(job.body, job.contentType, true).text;
    reply = { id: job.id, ok: true, article: extractFullText(html, job.url) };
  } catch (error) {
    const code = error.code;
    reply = {
      id: job.id,
      ok: false,
      code: typeof code === "string" ? code : "FULL_TEXT_FAILED",
      message: error instanceof Error ? error.message : String(error)
    };
  }
  parentPort?.postMessage(reply);
});
//# sourceMappingURL=extract-worker.js.map
//# sourceMappingURL=extract-worker.js.map