export { type Config, type ConfigInput, CONFIG_PROBLEMS, CONFIG_SOURCES, parseConfig } from './config.js';
export { configFromEnv, ENV_VARIABLES } from './config-env.js';
export { formatDuration, parseDuration } from './duration.js';
export {
  ConfigError,
  type ConfigProblem,
  PipelineError,
  type PipelineErrorCode,
} from './errors.js';
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
