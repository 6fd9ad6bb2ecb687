export { checkRecipients, checkSender, isEmailAddress } from './address.js';
export { type BookFile, type BookFormat, MIME_TYPES } from './book.js';
export { smtpOptionsFromEnv, type SmtpEnvResult } from './env.js';
export { MailerError, type MailerErrorCode, type MailerErrorDetails, type MailerStage } from './errors.js';
export type { SectionCount } from './message.js';
export { redact } from './redact.js';
export { KINDLE_LIMITS, type SendOptions, type SendResult, type SentMessage, sendToKindle } from './send.js';
export type { SmtpOptions } from './smtp.js';
export type { OutgoingAttachment, OutgoingMessage, Transport, TransportResult } from './types.js';
