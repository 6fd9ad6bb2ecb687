export { buildEpub } from './build.js';
export { buildVolumes, type VolumeOptions } from './volumes.js';
export { lintKindle, KINDLE_MAX_BYTES } from './lint.js';
export { DEVICES, type DeviceName, type DeviceProfile } from './devices.js';
export { EpubError, type EpubErrorCode } from './errors.js';
export { sanitizeHtml, type Sanitized, type SanitizeOptions, type ImageRef } from './sanitize.js';
export { detectLanguage } from './language.js';
export { sniffImage, type SniffedType } from './sniff.js';
export type { BuildOptions, BuildResult, Issue, IssueArticle, KindleFinding, ProgressEvent, Section } from './types.js';
