export { FeedError } from './errors.js';
