import type { FeedState, RunRecord } from '@news2kindle/pipeline';
import { displayUrl, esc, formatAgo, formatBytes, formatTime } from './html.js';

/** Everything the status page shows; built by the app from the store and the configuration. */
export interface StatusView {
  now: Date;
  /** `postgres` or `file`, and a one-line description (never the connection string). */
  store: { kind: string; detail: string };
  runs: RunRecord[];
  storeError?: string;
  feeds: Array<{ url: string; title?: string; state?: FeedState }>;
  feedsOrigin: string;
  feedsError?: string;
  /** Free-text schedule (e.g. `daily at 05:30 UTC`) from the configuration, if given. */
  schedule?: string;
  triggerEnabled: boolean;
  dyno?: string;
  version: string;
}

const OUTCOME: Record<string, [string, string]> = {
  delivered: ['Delivered', 'ok'],
  'nothing-new': ['Nothing new', 'quiet'],
  failed: ['Failed', 'bad'],
  'dry-run': ['Dry run', 'quiet'],
};

const STYLE = `
body{font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d1d1f;background:#f6f5f2}
main{max-width:44rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.15rem;margin:1.6rem 0 .5rem}
.card{background:#fff;border:1px solid #ddd;border-radius:.5rem;padding:.7rem .9rem;margin:.5rem 0;overflow-wrap:anywhere}
.tag{display:inline-block;border-radius:1rem;padding:0 .6rem;font-size:.85rem;font-weight:600}
.ok{background:#dcf3e2;color:#0b5d1e}.bad{background:#fde1df;color:#8a1c12}.quiet{background:#ecebe6;color:#444}
.note{background:#fff7d6;border-color:#e8d27a}.muted{color:#555;font-size:.9rem}
ul{padding-left:1.2rem;margin:.3rem 0}code{background:#ecebe6;border-radius:.25rem;padding:0 .25rem;font-size:.9em;overflow-wrap:anywhere}
footer{margin:2rem 0 1rem;color:#555;font-size:.85rem}
`;

/** The status page: plain server-rendered HTML, readable on a phone, no scripts. */
export function renderStatusPage(view: StatusView): string {
  const last = view.runs[0];
  const headline = last
    ? `Last run ${formatAgo(last.finishedAt, view.now)}: ${(OUTCOME[last.outcome] ?? [last.outcome])[0]}`
    : 'No delivery yet';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>news2kindle status</title><style>${STYLE}</style></head>
<body><main>
<h1>news2kindle</h1>
<p>${esc(headline)}</p>
${storeNote(view)}
<h2>Last deliveries</h2>
${runsSection(view)}
<h2>Feeds <span class="muted">(${view.feeds.length}, from ${esc(view.feedsOrigin)})</span></h2>
${feedsSection(view)}
<h2>Schedule</h2>
${scheduleSection(view)}
<footer>news2kindle ${esc(view.version)} · ${esc(view.dyno ?? 'local')} · history from the ${esc(view.store.kind)} store · ${esc(formatTime(view.now))}</footer>
</main></body></html>
`;
}

function storeNote(view: StatusView): string {
  const error = view.storeError
    ? `<div class="card note" role="alert"><strong>The history could not be read:</strong> ${esc(view.storeError)}</div>`
    : '';
  if (view.store.kind !== 'file') return error;
  return `${error}<div class="card note"><strong>Local history.</strong> No <code>DATABASE_URL</code> is set, so this page reads the file store (${esc(view.store.detail)}). On Heroku the web dyno and the Scheduler's one-off dynos share no disk: add Heroku Postgres to see their deliveries here.</div>`;
}

function runsSection(view: StatusView): string {
  if (view.runs.length === 0) return '<p class="card">No delivery recorded yet.</p>';
  return view.runs.map((run) => runCard(run, view)).join('\n');
}

function runCard(run: RunRecord, view: StatusView): string {
  const [label, tone] = OUTCOME[run.outcome] ?? [run.outcome, 'quiet'];
  const c = run.counts;
  const seconds = Math.max(0, Math.round((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000));
  // Feeds whose last check happened during this run and failed: the reasons behind failedFeeds.
  const failing = view.feeds.filter(
    (f) =>
      f.state?.lastStatus === 'failed' &&
      f.state.lastCheckedAt &&
      f.state.lastCheckedAt >= run.startedAt &&
      f.state.lastCheckedAt <= run.finishedAt,
  );
  const failures = failing.length
    ? `<ul>${failing.map((f) => `<li>${esc(f.title ?? displayUrl(f.url))}: ${esc(f.state?.lastError ?? 'failed')}</li>`).join('')}</ul>`
    : '';
  return `<div class="card"><span class="tag ${tone}">${esc(label)}</span> <strong>${esc(formatTime(run.startedAt))}</strong>
<div>${c.articles} article${c.articles === 1 ? '' : 's'} · ${esc(formatBytes(c.bytes))}${c.volumes > 1 ? ` in ${c.volumes} volumes` : ''} · ${c.feeds} feed${c.feeds === 1 ? '' : 's'} · ${seconds} s</div>
${c.failedFeeds ? `<div>${c.failedFeeds} feed${c.failedFeeds === 1 ? '' : 's'} failed${failing.length ? ':' : ''}</div>${failures}` : ''}
${run.error ? `<div class="muted">${esc(run.error)}</div>` : ''}</div>`;
}

function feedsSection(view: StatusView): string {
  if (view.feedsError) return `<div class="card note">${esc(view.feedsError)}</div>`;
  if (view.feeds.length === 0) return '<p class="card">No feeds configured.</p>';
  const items = view.feeds.map(({ url, title, state }) => {
    const status = state?.lastStatus;
    const tag =
      status === 'failed'
        ? '<span class="tag bad">failing</span>'
        : status
          ? '<span class="tag ok">ok</span>'
          : '<span class="tag quiet">not fetched yet</span>';
    const when = state?.lastCheckedAt ? ` · checked ${esc(formatAgo(state.lastCheckedAt, view.now))}` : '';
    const why = status === 'failed' && state?.lastError ? `<div class="muted">${esc(state.lastError)}</div>` : '';
    const name = title ? `<strong>${esc(title)}</strong><br>` : '';
    return `<div class="card">${tag} ${name}<span class="muted">${esc(displayUrl(url))}${when}</span>${why}</div>`;
  });
  return items.join('\n');
}

function scheduleSection(view: StatusView): string {
  const plan = view.schedule
    ? `<p>Deliveries are scheduled ${esc(view.schedule)} by Heroku Scheduler.</p>`
    : '<p>Deliveries run from Heroku Scheduler. If none appear above, add the job: <code>heroku addons:open scheduler</code> → <em>Add Job</em> → <code>news2kindle send</code>, daily, at a UTC time.</p>';
  const trigger = view.triggerEnabled
    ? '<p class="muted">Deliver now: <code>curl -X POST -H "Authorization: Bearer $N2K_TRIGGER_TOKEN" https://&lt;your-app&gt;.herokuapp.com/deliveries</code></p>'
    : '<p class="muted">The "deliver now" endpoint is off: set <code>N2K_TRIGGER_TOKEN</code> to enable <code>POST /deliveries</code>.</p>';
  return plan + trigger;
}
