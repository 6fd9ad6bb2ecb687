import type { DeliveredArticle, FeedState, RunRecord, StateChange } from './types.js';

/** The state every adapter stores, in memory. Shared by the file store's JSON form. */
export interface StateData {
  delivered: Map<string, Map<string, Date>>;
  feeds: Map<string, FeedState>;
  runs: RunRecord[];
}

export function emptyState(): StateData {
  return { delivered: new Map(), feeds: new Map(), runs: [] };
}

/** Applies a change to state data in place (the rules every adapter follows). */
export function applyChange(state: StateData, change: StateChange, keepRuns: number): void {
  for (const article of change.delivered ?? []) addDelivered(state, article);
  for (const feed of change.feeds ?? []) state.feeds.set(feed.url, { ...feed });
  if (change.run) state.runs = [change.run, ...state.runs.filter((r) => r.id !== change.run?.id)];
  state.runs.sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime());
  state.runs.length = Math.min(state.runs.length, keepRuns);
  if (change.pruneBefore) {
    const before = change.pruneBefore.getTime();
    for (const [feed, ids] of state.delivered) {
      for (const [id, at] of ids) if (at.getTime() < before) ids.delete(id);
      if (ids.size === 0) state.delivered.delete(feed);
    }
  }
}

function addDelivered(state: StateData, article: DeliveredArticle): void {
  let ids = state.delivered.get(article.feedUrl);
  if (!ids) {
    ids = new Map();
    state.delivered.set(article.feedUrl, ids);
  }
  ids.set(article.id, article.deliveredAt);
}
