import type { RequestListener } from 'node:http';
import type { DynoInfo } from '@news2kindle/heroku-runner';
import pkg from '../package.json' with { type: 'json' };
import { createApp } from './app.js';
import { createJobLauncher } from './job-launcher.js';
import { deliveryCommand, feedsPath, loadFeeds, openStore } from './setup.js';

export interface Booted {
  handler: RequestListener;
  storeKind: string;
  /** Stops a delivery this dyno started, then closes the store's connections. */
  close(): Promise<void>;
}

/** Everything behind the bound port: store, feeds, launcher, routes. Loaded after startWeb bound it. */
export function boot(env: NodeJS.ProcessEnv, dyno: DynoInfo, log: (line: string) => void): Booted {
  const cwd = process.cwd();
  const feeds = feedsPath(env, cwd);
  const { store, kind, detail } = openStore(env, feeds);
  const launcher = createJobLauncher({ command: deliveryCommand(), env, cwd, log });
  const handler = createApp({
    store,
    storeInfo: { kind, detail },
    loadFeeds: () => loadFeeds(feeds, cwd),
    schedule: env.N2K_SCHEDULE?.trim() || undefined,
    triggerToken: env.N2K_TRIGGER_TOKEN,
    startDelivery: () => launcher.start(),
    dyno: dyno.name,
    version: pkg.version,
  });
  return {
    handler,
    storeKind: kind,
    async close() {
      await launcher.stop(15_000);
      await store.close();
    },
  };
}
