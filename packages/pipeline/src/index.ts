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
export { deliver } from './deliver.js';
export { type BookReport, type BuildBookOptions, buildBook } from './build-book.js';
export type {
  DeliverOptions,
  DeliveryReport,
  FeedReport,
  LogEvent,
  ProgressEvent,
  Stage,
  VolumeReport,
} from './report.js';
export { bookLimitFor } from './mail-size.js';
export { OUTBOX_FROM, OUTBOX_TO } from './send-stage.js';
