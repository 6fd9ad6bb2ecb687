export type { Availability, BookFormat, Converter, ConvertOptions, ConvertResult } from './types.js';
export { ConverterError } from './errors.js';
export type { ConverterErrorCode, ConverterErrorFacts } from './errors.js';
export { pickConverter } from './pick.js';
export type { PickOptions } from './pick.js';
export { checkBook } from './verify.js';
