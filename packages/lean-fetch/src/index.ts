export {
  createLeanClient,
  createLeanFetch,
  type LeanClient,
  type LeanFetchOptions,
  type LeanRequest,
  type LeanResponse,
  leanFetch,
  leanRequest,
} from './lean-fetch.js';
