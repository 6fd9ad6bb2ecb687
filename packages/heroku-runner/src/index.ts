export { type DockerInstruction, type DockerStage, type ParsedDockerfile, parseDockerfile } from './dockerfile.js';
export { type DoctorOptions, type Finding, type Severity, doctor } from './doctor.js';
export { type DynoInfo, type DynoKind, dynoInfo, parsePort } from './dyno-info.js';
export {
  BindError,
  DoctorError,
  HerokuError,
  InvalidPortError,
  JobTerminatedError,
  UnknownDynoSizeError,
} from './errors.js';
export { type ExitFn, type SignalSource, DEFAULT_SHUTDOWN_TIMEOUT_MS } from './process-handle.js';
export { type ProcfileEntry, parseProcfile } from './procfile.js';
export { type JobFn, type RunJobOptions, JOB_EXIT, runJob } from './run-job.js';
export { type StartWebOptions, type WebProcess, startWeb } from './start-web.js';
export {
  type DynoSize,
  type MemorySample,
  type MemoryWatch,
  type WatchMemoryOptions,
  DYNO_MEMORY_MB,
  memoryQuotaMb,
  watchMemory,
} from './watch-memory.js';
