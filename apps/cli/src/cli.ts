#!/usr/bin/env node
import { constants } from 'node:os';
import { runTuned, wantsReexec } from './reexec.js';

// This file stays small: a re-executing parent only waits for its child, so it must not load the
// libraries (tens of MB) the child loads again.
const argv = process.argv.slice(2);
const here = () =>
  import('./run.js').then(
    (m) => m.runHere(argv),
    (error: Error) => {
      process.stderr.write(`news2kindle: cannot start: ${error.message}\n`);
      process.exitCode = 1;
    },
  );

if (wantsReexec(argv, process.env)) {
  runTuned({
    args: process.argv.slice(1),
    env: process.env,
    execPath: process.execPath,
    execArgv: process.execArgv,
  }).then(
    (end) => {
      if (end.code !== undefined) {
        process.exitCode = end.code;
        return;
      }
      // Die of the same signal, so a shell or dyno manager sees what really happened; a signal
      // Node ignores (SIGPIPE) still ends with its conventional 128 + n.
      process.exitCode = 128 + (constants.signals[end.signal] ?? 0);
      process.kill(process.pid, end.signal);
    },
    // No child (out of processes or memory): do the work here, untuned, rather than not at all.
    () => here(),
  );
} else {
  here();
}
