export { FeedError, type FeedErrorCode, type FeedErrorOptions } from './errors.js';
export { readFeedList, toFeedsTxt, toOpml, type ReadFeedListOptions } from './feed-list.js';
export { parseFeed } from './parse-feed.js';
export { parseDate } from './dates.js';
export { decodeBytes, type Decoded } from './encoding.js';
export { fetchFeeds } from './fetch-feeds.js';
export { selectArticles, sortNewestFirst, type SelectOptions } from './select.js';
export { extractFullText, fixLazyImages, isSummaryOnly, type ExtractedArticle } from './full-text.js';
export { DEFAULT_USER_AGENT } from './http.js';
export { discoverFeedLinks } from './discover.js';
export type {
  Article,
  FeedResult,
  FeedSource,
  FetchFeedsOptions,
  FullTextMode,
  ParseFeedOptions,
  ParsedFeed,
  ProgressEvent,
} from './types.js';
