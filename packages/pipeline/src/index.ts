export { PipelineError } from './errors.js';
