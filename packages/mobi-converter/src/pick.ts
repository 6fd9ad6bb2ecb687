import { createCalibreConverter } from './calibre.js';
import { ConverterError } from './errors.js';
import { createKindlegenConverter } from './kindlegen.js';
import { createPassthroughConverter } from './passthrough.js';
import type { BookFormat, Converter } from './types.js';

/** Options of {@link pickConverter}. */
export interface PickOptions {
  /** Adapter names to try first, in order (e.g. `['kindlegen']` to prefer kindlegen over calibre). */
  preference?: readonly string[];
  /** The candidates; default passthrough, calibre and kindlegen with their default options. */
  converters?: readonly Converter[];
}

/**
 * The first available converter that produces `format`: EPUB passes through; MOBI and AZW3 go to
 * calibre when it is installed, else to kindlegen (MOBI only). Throws NO_CONVERTER, with what to
 * install, when none can run.
 */
export async function pickConverter(format: BookFormat, options: PickOptions = {}): Promise<Converter> {
  const candidates = options.converters ?? [
    createPassthroughConverter(),
    createCalibreConverter(),
    createKindlegenConverter(),
  ];
  const preference = options.preference ?? [];
  const rank = (converter: Converter) => {
    const index = preference.indexOf(converter.name);
    return index === -1 ? preference.length : index;
  };
  const capable = candidates
    .filter((converter) => converter.formats.includes(format))
    .map((converter, order) => ({ converter, order }))
    .sort((a, b) => rank(a.converter) - rank(b.converter) || a.order - b.order);
  const missing: string[] = [];
  for (const { converter } of capable) {
    const availability = await converter.available();
    if (availability.ok) return converter;
    missing.push(`${converter.name}: ${availability.install ?? 'not available'}`);
  }
  const tried = capable.length
    ? ` Tried ${missing.join(' ')}`
    : ` No adapter produces it (candidates: ${candidates.map((c) => c.name).join(', ') || 'none'}).`;
  throw new ConverterError('NO_CONVERTER', `No converter can produce ${format.toUpperCase()} here.${tried}`);
}
