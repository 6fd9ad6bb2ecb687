// Peak RSS of a process that makes 1000 requests (8 at a time) to a loopback server with 100 ms
// latency, reading ~6 KB HTML bodies: once with leanFetch, once with Node's built-in fetch
// (undici). The server runs in this process, each client in its own child, so only the client's
// memory is counted. Run `pnpm --filter @news2kindle/lean-fetch build` first.
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const REQUESTS = 1000;
const CONCURRENCY = 8;

if (process.argv[2] === 'child') {
  const [, , , which, url] = process.argv;
  const fetch = which === 'leanFetch' ? (await import('../dist/index.js')).leanFetch : globalThis.fetch;
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < REQUESTS) {
      next++;
      const { byteLength } = await (await fetch(url)).arrayBuffer();
      bytes += byteLength;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const usage = process.resourceUsage();
  process.stdout.write(
    JSON.stringify({
      ms: performance.now() - started,
      bytes,
      maxRssMb: usage.maxRSS / 1024,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    }),
  );
  process.exit(0);
}

const body = `<!DOCTYPE html><html><body>${'<p>river council budget repairs spring transport</p>'.repeat(120)}</body></html>`;
const server = createServer((_req, res) =>
  setTimeout(() => res.writeHead(200, { 'content-type': 'text/html' }).end(body), 100),
);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/page`;
const run = (which) =>
  new Promise((resolve, reject) =>
    execFile(process.execPath, [fileURLToPath(import.meta.url), 'child', which, url], (error, stdout, stderr) =>
      error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
    ),
  );
console.log(`${REQUESTS} GETs, ${CONCURRENCY} at a time, 100 ms latency, ${body.length} B bodies; medians of 3\n`);
console.log('| client | peak RSS | wall | CPU |\n|---|---:|---:|---:|');
for (const which of ['leanFetch', 'Node fetch (undici)']) {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await run(which));
  const median = (key) => runs.map((r) => r[key]).sort((a, b) => a - b)[1];
  if (runs.some((r) => r.bytes !== REQUESTS * body.length)) throw new Error(`${which} read ${runs.map((r) => r.bytes)} bytes, expected ${REQUESTS * body.length}`);
  console.log(
    `| ${which} | ${median('maxRssMb').toFixed(0)} MB | ${(median('ms') / 1000).toFixed(2)} s | ${(median('cpuMs') / 1000).toFixed(2)} s |`,
  );
}
server.close();
