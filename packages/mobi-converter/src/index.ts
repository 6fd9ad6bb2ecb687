export { ConverterError } from './errors.js';
