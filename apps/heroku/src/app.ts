import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { FeedState, RunRecord, StateStore } from '@news2kindle/pipeline';
import { bearerMatches } from './auth.js';
import type { LaunchResult } from './job-launcher.js';
import { type StatusView, renderStatusPage } from './page.js';

export interface FeedsInfo {
  origin: string;
  feeds: Array<{ url: string; title?: string }>;
  error?: string;
}

export interface AppOptions {
  store: StateStore;
  storeInfo: { kind: string; detail: string };
  /** The configured feeds (read on each page view, so an edited feeds file shows at once). */
  loadFeeds: () => Promise<FeedsInfo>;
  schedule?: string;
  /** `N2K_TRIGGER_TOKEN`; without it `POST /deliveries` answers 404. */
  triggerToken?: string;
  startDelivery: () => LaunchResult;
  dyno?: string;
  version: string;
  now?: () => Date;
  /** Deliveries shown on the page. Default 10. */
  historySize?: number;
}

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
};

function send(res: ServerResponse, status: number, type: string, body: string, extra: Record<string, string> = {}) {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}

const json = (res: ServerResponse, status: number, value: unknown, extra?: Record<string, string>) =>
  send(res, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`, extra);

/** The web dyno's routes: `/` status page, `/healthz`, `POST /deliveries`. Nothing is served from disk. */
export function createApp(options: AppOptions): RequestListener {
  const now = options.now ?? (() => new Date());
  const token = options.triggerToken?.trim() || undefined;

  async function statusPage(res: ServerResponse): Promise<void> {
    const [history, feedsInfo] = await Promise.all([readHistory(options), options.loadFeeds()]);
    const view: StatusView = {
      now: now(),
      store: options.storeInfo,
      runs: history.runs,
      ...(history.error ? { storeError: history.error } : {}),
      feeds: feedsInfo.feeds.map((f) => ({ ...f, state: history.feeds.get(f.url) })),
      feedsOrigin: feedsInfo.origin,
      ...(feedsInfo.error ? { feedsError: feedsInfo.error } : {}),
      ...(options.schedule ? { schedule: options.schedule } : {}),
      triggerEnabled: token !== undefined,
      ...(options.dyno ? { dyno: options.dyno } : {}),
      version: options.version,
    };
    send(res, 200, 'text/html; charset=utf-8', renderStatusPage(view));
  }

  async function health(res: ServerResponse): Promise<void> {
    const history = await readHistory(options, 1);
    const last = history.runs[0];
    json(res, history.error ? 503 : 200, {
      status: history.error ? 'degraded' : 'ok',
      store: options.storeInfo.kind,
      ...(history.error ? { error: history.error } : {}),
      ...(last ? { lastRun: { at: last.startedAt.toISOString(), outcome: last.outcome } } : {}),
    });
  }

  function trigger(req: IncomingMessage, res: ServerResponse): void {
    if (!token) {
      json(res, 404, { error: 'The trigger is off: set N2K_TRIGGER_TOKEN to enable it.' });
    } else if (!bearerMatches(req.headers.authorization, token)) {
      json(
        res,
        401,
        { error: 'Authorization: Bearer <N2K_TRIGGER_TOKEN> required.' },
        { 'www-authenticate': 'Bearer' },
      );
    } else {
      const result = options.startDelivery();
      if (result.started) json(res, 202, { status: 'started', pid: result.pid });
      else if (result.reason === 'busy')
        json(res, 409, { error: 'A delivery started from this dyno is still running.' });
      else json(res, 500, { error: 'The delivery could not be started; see the logs.' });
    }
  }

  return async (req, res) => {
    req.resume(); // bodies are never read; drain them so keep-alive works
    const path = (req.url ?? '/').split('?')[0];
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/' && read) return statusPage(res);
    if (path === '/healthz' && read) return health(res);
    if (path === '/deliveries' && req.method === 'POST') return trigger(req, res);
    if (path === '/' || path === '/healthz' || path === '/deliveries') {
      return json(res, 405, { error: 'Method not allowed.' }, { allow: path === '/deliveries' ? 'POST' : 'GET, HEAD' });
    }
    json(res, 404, { error: 'Not found.' });
  };
}

async function readHistory(
  options: AppOptions,
  limit = options.historySize ?? 10,
): Promise<{ runs: RunRecord[]; feeds: Map<string, FeedState>; error?: string }> {
  try {
    const [runs, feeds] = await Promise.all([options.store.runs(limit), options.store.feedStates()]);
    return { runs, feeds };
  } catch (error) {
    const code = (error as { code?: string }).code;
    return {
      runs: [],
      feeds: new Map(),
      error: `${options.storeInfo.kind} store unavailable${code ? ` (${code})` : ''}`,
    };
  }
}
