#!/usr/bin/env node
import { main, processIo } from './main.js';
import { redact, secretsOf } from './redact.js';

// SIGINT/SIGTERM abort the run through its AbortSignal so nothing half-done is recorded;
// a second signal means "now", as users expect from Ctrl-C pressed twice.
const controller = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    controller.abort(Object.assign(new Error(`received ${signal}`), { signal }));
  });
}

// `news2kindle feeds export | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2), processIo(controller.signal)).then(
  (code) => {
    process.exitCode = code;
    // A library that leaves a socket or timer open must not keep a cron job alive for ever.
    setTimeout(() => process.exit(code), 5_000).unref();
  },
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`news2kindle: unexpected error: ${redact(message, secretsOf(process.env))}\n`);
    process.exitCode = 1;
  },
);
