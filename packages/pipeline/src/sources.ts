import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type FeedSource, readFeedList } from '@news2kindle/feed-fetcher';
import type { Config } from './config.js';
import { PipelineError } from './errors.js';

/** The feeds of a run: the feeds.txt/OPML file named by the config, or its list. */
export async function readSources(config: Pick<Config, 'feeds' | 'feedsBaseDir'>): Promise<FeedSource[]> {
  let sources: FeedSource[];
  let where: string;
  try {
    if (typeof config.feeds === 'string') {
      where = config.feeds;
      const text = await readFile(config.feeds, 'utf8');
      sources = readFeedList(text, { baseDir: dirname(resolve(config.feeds)) });
    } else {
      where = 'the feeds setting';
      const lines = config.feeds.filter((f): f is string => typeof f === 'string');
      const objects = config.feeds.filter((f): f is FeedSource => typeof f !== 'string');
      sources = [
        ...readFeedList(lines.join('\n'), config.feedsBaseDir ? { baseDir: config.feedsBaseDir } : {}),
        ...objects.map((o) => ({ ...o })),
      ];
    }
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : (error as Error).message;
    throw new PipelineError('SOURCES_FAILED', `cannot read the feed list ${String(config.feeds)}: ${reason}`, {
      cause: error,
    });
  }
  if (sources.length === 0) {
    throw new PipelineError('SOURCES_FAILED', `no feeds in ${where}: add one feed URL per line`);
  }
  return sources;
}
