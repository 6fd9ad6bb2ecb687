// Proves that mailing a near-limit book streams it: peak RSS of a child process sending a 45 MB
// book through the built dist, over SMTP to a minimal loopback sink and into an outbox folder.
// Run `pnpm --filter @news2kindle/kindle-mailer run build` first.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MB = 1024 * 1024;
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

if (process.argv[2] === 'child') {
  const [, , , mode, book, target] = process.argv;
  const { sendToKindle } = await import(join(dist, 'index.js'));
  let transport;
  if (mode === 'smtp') {
    const { createSmtpTransport } = await import(join(dist, 'smtp.js'));
    transport = createSmtpTransport({ host: '127.0.0.1', port: Number(target), allowPlaintext: true });
  } else if (mode === 'outbox') {
    const { createOutboxTransport } = await import(join(dist, 'outbox.js'));
    transport = createOutboxTransport({ dir: target });
  }
  const started = performance.now();
  if (transport) {
    await sendToKindle(
      { path: book, format: 'epub', title: 'News 2026-11-29' },
      { to: ['reader@kindle.com'], from: 'me@example.org', transport, retries: 0 },
    );
    await transport.close();
  }
  const ms = performance.now() - started;
  process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  process.exit(0);
}

/** Accepts any message and discards it: enough SMTP for nodemailer, nothing kept in memory. */
function startSink() {
  const server = createServer((socket) => {
    let data = false;
    let text = '';
    let tail = '';
    socket.write('220 sink ESMTP\r\n');
    socket.on('data', (chunk) => {
      if (data) {
        const seen = tail + chunk.toString('latin1');
        tail = seen.slice(-5);
        if (seen.includes('\r\n.\r\n')) {
          data = false;
          tail = '';
          socket.write('250 2.0.0 queued\r\n');
        }
        return;
      }
      text += chunk.toString('latin1');
      let i = text.indexOf('\r\n');
      while (i >= 0) {
        const line = text.slice(0, i).toUpperCase();
        text = text.slice(i + 2);
        if (line.startsWith('EHLO')) socket.write('250-sink\r\n250 8BITMIME\r\n');
        else if (line.startsWith('DATA')) {
          data = true;
          socket.write('354 go ahead\r\n');
        } else if (line.startsWith('QUIT')) socket.end('221 bye\r\n');
        else socket.write('250 OK\r\n');
        i = data ? -1 : text.indexOf('\r\n');
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const dir = mkdtempSync(join(tmpdir(), 'n2k-mailer-bench-'));
try {
  const book = join(dir, 'book.epub');
  writeFileSync(book, randomBytes(45 * MB));
  const sink = await startSink();
  const run = (mode, target = '') =>
    new Promise((resolve, reject) => {
      // Asynchronous, so the sink in this process keeps answering while the child sends.
      execFile(process.execPath, [fileURLToPath(import.meta.url), 'child', mode, book, target], (error, stdout) =>
        error ? reject(error) : resolve(JSON.parse(stdout)),
      );
    });
  const baseline = await run('none');
  const smtp = await run('smtp', String(sink.address().port));
  const outbox = await run('outbox', join(dir, 'outbox'));
  sink.close();
  const row = (name, r) =>
    `${name.padEnd(28)} ${r.ms.toFixed(0).padStart(6)} ms  peak RSS ${r.maxRssMb.toFixed(0).padStart(4)} MB`;
  console.log(`node ${process.version}, book 45 MB`);
  console.log(row('modules loaded, no send', baseline));
  console.log(row('smtp → loopback sink', smtp));
  console.log(row('outbox (.eml + copy)', outbox));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
