/** The book formats a converter can produce. EPUB is what Send to Kindle accepts by e-mail. */
export type BookFormat = 'epub' | 'mobi' | 'azw3';

/** Whether a converter can run here, and if not, how to make it run. */
export interface Availability {
  /** True when the tool answered its version check. */
  ok: boolean;
  /** The tool's version as it reports it, e.g. `6.13.0`. */
  version?: string;
  /** The absolute path of the executable, when it was found. */
  path?: string;
  /** What to do when `ok` is false: the Debian package, a Dockerfile line. */
  install?: string;
}

/** Options of one conversion. */
export interface ConvertOptions {
  /** The format to produce. */
  format: BookFormat;
  /** Where to write the book; written only once the output is verified. */
  output: string;
  /** Aborts the conversion: the child process is killed and temporary files removed. */
  signal?: AbortSignal;
  /** Kills the conversion after this many milliseconds (each adapter has a default). */
  timeoutMs?: number;
  /** The target Kindle (`basic`, `paperwhite`, `oasis`, `scribe`, `colorsoft`, `legacy`); adapters that can, size for it. */
  device?: string;
}

/** What a successful conversion produced. */
export interface ConvertResult {
  /** The absolute path of the book (`options.output` resolved). */
  path: string;
  /** The size of the output in bytes. */
  bytes: number;
  format: BookFormat;
  /** Wall-clock duration in milliseconds. */
  ms: number;
  /** Warnings the tool printed while still succeeding. */
  warnings: string[];
}

/** One way of turning an EPUB into a book file; every adapter implements this and nothing more. */
export interface Converter {
  /** The adapter's name, used in errors (`calibre`, `kindlegen`, `passthrough`). */
  name: string;
  /** The formats this adapter can produce. */
  formats: readonly BookFormat[];
  /** Checks whether the tool is present; never throws. */
  available(): Promise<Availability>;
  /** Converts the EPUB at `input`; throws a `ConverterError` on failure. */
  convert(input: string, options: ConvertOptions): Promise<ConvertResult>;
}
