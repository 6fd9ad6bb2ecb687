import { mkdir } from 'node:fs/promises';
import { join, parse } from 'node:path';
import {
  type Issue,
  type IssueArticle,
  type ProgressEvent as EpubProgress,
  buildVolumes,
} from '@news2kindle/epub-builder';
import type { Converter } from '@news2kindle/mobi-converter';
import type { Config } from './config.js';
import { converterFor } from './converter.js';
import { PipelineError, throwIfAborted } from './errors.js';
import type { FetchedFeed } from './fetch-stage.js';

/** An article of the book and the feed it is recorded under once delivered. */
export interface ArticleRef {
  feedUrl: string;
  id: string;
}

/** One finished volume, converted to the configured format. */
export interface Volume {
  path: string;
  bytes: number;
  title: string;
  format: Config['format'];
  refs: ArticleRef[];
  images: number;
  warnings: string[];
}

/**
 * The issue for the new articles: one section per feed, in feeds.txt order. Book-local ids
 * (`a1`, `a2`, …) keep two feeds that share an article id apart.
 */
export function toIssue(
  feeds: FetchedFeed[],
  config: Pick<Config, 'title' | 'language'>,
  now: Date,
): { issue: Issue; refs: Map<string, ArticleRef> } {
  const refs = new Map<string, ArticleRef>();
  const sections = feeds
    .filter((feed) => feed.fresh.length > 0)
    .map((feed) => ({
      title: feed.title,
      url: feed.result.feed?.link,
      articles: feed.fresh.map((article): IssueArticle => {
        const key = `a${refs.size + 1}`;
        refs.set(key, { feedUrl: feed.source.url, id: article.id });
        return {
          id: key,
          title: article.title,
          url: article.url,
          author: article.author,
          published: article.undated ? undefined : article.published,
          html: article.html,
          language: article.language,
          summary: article.summary,
        };
      }),
    }));
  const issue: Issue = { title: config.title, date: now, sections };
  if (config.language) issue.language = config.language;
  return { issue, refs };
}

/** A notice book for `allowEmpty` runs: one page saying nothing was new (recorded as nothing). */
export function emptyIssue(config: Pick<Config, 'title' | 'language'>, now: Date): Issue {
  return {
    title: config.title,
    date: now,
    ...(config.language ? { language: config.language } : {}),
    sections: [
      {
        title: config.title,
        articles: [
          {
            id: 'nothing-new',
            title: 'Nothing new',
            html: '<p>None of your feeds had new articles since the last delivery.</p>',
          },
        ],
      },
    ],
  };
}

export interface BookStageOptions {
  /** The run's temporary folder. */
  dir: string;
  /** Largest book per volume in bytes. */
  maxBytes: number;
  refs: Map<string, ArticleRef>;
  converter?: Converter;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  onBuild?: (event: EpubProgress) => void;
  onConverted?: (volume: number, volumes: number, bytes: number) => void;
}

/** Builds the issue into EPUB volumes under the size limit, then converts each to the format. */
export async function bookStage(
  issue: Issue,
  config: Config,
  options: BookStageOptions,
): Promise<{
  volumes: Volume[];
  buildMs: number;
  convertMs: number;
}> {
  const started = performance.now();
  let built: Awaited<ReturnType<typeof buildVolumes>>;
  try {
    built = await buildVolumes(issue, {
      outputDir: join(options.dir, 'build'),
      maxBytes: options.maxBytes,
      device: config.device,
      images: config.images,
      signal: options.signal,
      onProgress: options.onBuild,
      now: issue.date,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  } catch (error) {
    throwIfAborted(options.signal, 'build');
    throw new PipelineError('BUILD_FAILED', `building the book failed: ${(error as Error).message}`, { cause: error });
  }
  const buildMs = performance.now() - started;
  throwIfAborted(options.signal, 'build');

  const converting = performance.now();
  let converter: Converter;
  try {
    converter = options.converter ?? (await converterFor(config));
  } catch (error) {
    throw new PipelineError('CONVERT_FAILED', (error as Error).message, { cause: error });
  }
  const volumes: Volume[] = [];
  for (const [i, book] of built.entries()) {
    const output = join(options.dir, 'out', `${parse(book.path).name}.${config.format}`);
    let bytes: number;
    try {
      await mkdir(join(options.dir, 'out'), { recursive: true });
      const result = await converter.convert(book.path, {
        format: config.format,
        output,
        signal: options.signal,
        timeoutMs: config.convertTimeoutMs,
        device: config.device,
      });
      bytes = result.bytes;
    } catch (error) {
      throwIfAborted(options.signal, 'convert');
      throw new PipelineError('CONVERT_FAILED', `converting to ${config.format} failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (bytes > options.maxBytes) {
      throw new PipelineError(
        'CONVERT_FAILED',
        `volume ${i + 1} is ${bytes} bytes after conversion to ${config.format}, over the ${options.maxBytes}-byte limit`,
      );
    }
    volumes.push({
      path: output,
      bytes,
      title: book.title,
      format: config.format,
      refs: book.articleIds.flatMap((key) => options.refs.get(key) ?? []),
      images: book.images,
      warnings: book.warnings,
    });
    options.onConverted?.(i + 1, built.length, bytes);
  }
  return { volumes, buildMs, convertMs: performance.now() - converting };
}
