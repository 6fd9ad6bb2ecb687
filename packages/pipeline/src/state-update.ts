import type { ArticleRef } from './book-stage.js';
import type { FetchedFeed } from './fetch-stage.js';
import type { FeedState } from './types.js';

/**
 * The stored state of each feed after a run. A feed's validators and last success advance only
 * when every new article of it was accepted (or it had none): otherwise the next conditional
 * GET could answer 304 and the undelivered articles would be lost.
 */
export function feedStatesAfter(
  feeds: FetchedFeed[],
  states: Map<string, FeedState>,
  accepted: ArticleRef[],
  now: Date,
): FeedState[] {
  const delivered = new Set(accepted.map((ref) => `${ref.feedUrl}\n${ref.id}`));
  return feeds.map((feed): FeedState => {
    const url = feed.source.url;
    const previous = states.get(url) ?? { url };
    const { result } = feed;
    if (!result.ok) {
      return {
        ...previous,
        url,
        lastCheckedAt: now,
        lastStatus: 'failed',
        lastError: result.error?.message ?? 'failed',
      };
    }
    const complete = feed.fresh.every((article) => delivered.has(`${url}\n${article.id}`));
    const status = result.notModified ? 'not-modified' : 'ok';
    if (!complete) {
      const next: FeedState = { ...previous, url, lastCheckedAt: now, lastStatus: status };
      delete next.lastError;
      return next;
    }
    const next: FeedState = { url, lastSuccessAt: now, lastCheckedAt: now, lastStatus: status };
    // A 304 repeats no validators: keep the stored ones.
    const etag = result.notModified ? previous.etag : result.etag;
    const lastModified = result.notModified ? previous.lastModified : result.lastModified;
    if (etag) next.etag = etag;
    if (lastModified) next.lastModified = lastModified;
    return next;
  });
}
