export { createLeanFetch, leanFetch, type LeanFetchOptions } from './lean-fetch.js';
