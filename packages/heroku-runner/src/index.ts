export { HerokuError } from './errors.js';
