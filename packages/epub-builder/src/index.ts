export { EpubError } from './errors.js';
