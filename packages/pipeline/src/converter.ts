import type { Converter } from '@news2kindle/mobi-converter';
import type { Config } from './config.js';

/**
 * The converter for the configured format. EPUB without a converter preference passes through,
 * and only that adapter is loaded: the package index brings the calibre and kindlegen adapters
 * and their process tooling, which an EPUB delivery never runs.
 */
export async function converterFor(config: Pick<Config, 'format' | 'converters'>): Promise<Converter> {
  if (config.format === 'epub' && !config.converters?.length) {
    const { createPassthroughConverter } = await import('@news2kindle/mobi-converter/passthrough');
    return createPassthroughConverter();
  }
  const { pickConverter } = await import('@news2kindle/mobi-converter');
  return pickConverter(config.format, config.converters ? { preference: config.converters } : {});
}
