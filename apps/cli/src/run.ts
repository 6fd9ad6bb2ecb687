import { main, processIo } from './main.js';
import { redact, secretsOf } from './redact.js';
import { MALLOC_ENV } from './reexec.js';

/** Runs the CLI in this process: signals, the pipe, `main`, and the exit. */
export function runHere(argv: string[]): void {
  // SIGINT/SIGTERM abort the run through its AbortSignal so nothing half-done is recorded;
  // a second signal means "now", as users expect from Ctrl-C pressed twice. Ctrl-C reaches both
  // the re-executing parent and this process, and the parent forwards it too: a repeat within
  // 200 ms is that same key press, not a second one.
  const controller = new AbortController();
  let firstAt = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (controller.signal.aborted) {
        if (Date.now() - firstAt < 200) return;
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      firstAt = Date.now();
      controller.abort(Object.assign(new Error(`received ${signal}`), { signal }));
    });
  }

  if (process.env.N2K_DEBUG) {
    // After the signal handlers: once this line is out, the process can be signalled. It shows which process does the work and with which settings (the re-execution is invisible otherwise).
    const tuned = Object.keys(MALLOC_ENV).map((name) => `${name}=${process.env[name] ?? ''}`);
    process.stderr.write(
      `news2kindle: debug: pid ${process.pid} ppid ${process.ppid} ${tuned.join(' ')} execArgv=${process.execArgv.join(' ')}\n`,
    );
  }

  // `news2kindle feeds export | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });

  main(argv, processIo(controller.signal)).then(
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
}
