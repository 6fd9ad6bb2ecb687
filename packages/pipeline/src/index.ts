export { ConfigError, type ConfigProblem, PipelineError, type PipelineErrorCode } from './errors.js';
export type {
  DeliveredArticle,
  FeedState,
  FeedStatus,
  LockOptions,
  Release,
  RunOutcome,
  RunRecord,
  StateChange,
  StateStore,
} from './types.js';
