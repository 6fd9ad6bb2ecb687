import { dynoInfo, startWeb, watchMemory } from '@news2kindle/heroku-runner';

// The web dyno's entry. Only the process-model library is loaded before the port is bound; the
// store, its PostgreSQL driver and the feed parser load behind it (a dynamic import), so nothing
// slow stands between the start and Heroku's 60 s boot check (R10).
const env = process.env;
const log = (line: string) => process.stdout.write(`${line}\n`);
const dyno = dynoInfo(env);

// A computed specifier keeps the bundler from inlining boot.js (built as its own entry) into this file.
const bootModule = './boot.js';
const booted = (import(bootModule) as Promise<typeof import('./boot.js')>).then((m) => m.boot(env, dyno, log));

startWeb({
  // PORT is set on web dynos; a local run without it (npm, foreman without .env) uses 5000.
  port: env.PORT ?? (dyno.kind === 'local' ? '5000' : undefined),
  handler: booted.then((b) => b.handler),
  log,
  onShutdown: () =>
    booted.then(
      (b) => b.close(),
      () => {},
    ),
}).then(
  async (web) => {
    const boot = await booted.catch(() => undefined);
    // A failed boot was logged by startWeb; the dyno keeps answering 503 and the log says why.
    if (boot) log(`web: news2kindle status on port ${web.port}, history from the ${boot.storeKind} store`);
    watchMemory({
      quotaMb: Number(env.N2K_DYNO_MEMORY_MB) || Number(env.MEMORY_AVAILABLE) || undefined,
      dynoSize: env.N2K_DYNO_SIZE || 'basic',
      intervalMs: 60_000,
      onWarning: (s) => log(`web: memory ${s.rssMb} MB of ${s.quotaMb} MB (R14 above the quota)`),
    });
  },
  (error: Error) => {
    process.stderr.write(`web: cannot start: ${error.message}\n`);
    process.exitCode = 1;
  },
);
