export { parseDate } from './dates.js';
export { discoverFeedLinks } from './discover.js';
export { type Decoded, decodeBytes } from './encoding.js';
export { FeedError, type FeedErrorCode, type FeedErrorOptions } from './errors.js';
export { type ReadFeedListOptions, readFeedList, toFeedsTxt, toOpml } from './feed-list.js';
export { fetchFeeds } from './fetch-feeds.js';
export { type ExtractedArticle, extractFullText, fixLazyImages, isSummaryOnly } from './full-text.js';
export { DEFAULT_USER_AGENT } from './http.js';
export { parseFeed } from './parse-feed.js';
export { type SelectOptions, selectArticles, sortNewestFirst } from './select.js';
export type {
  Article,
  FeedResult,
  FeedSource,
  FetchFeedsOptions,
  FullTextMode,
  ParsedFeed,
  ParseFeedOptions,
  ProgressEvent,
} from './types.js';
