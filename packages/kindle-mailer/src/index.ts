export { MailerError } from './errors.js';
