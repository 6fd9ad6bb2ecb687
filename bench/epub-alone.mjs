// "Our EPUB build alone": the built @news2kindle/epub-builder given articles that were already
// fetched (full text in hand), fetching only their images from the loopback site.
// Usage: node bench/epub-alone.mjs <issue.json> <out.epub> [device] [extra options as JSON, for profiling]
// Prints one JSON line with what buildEpub returned (bytes, warnings count).
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const [issueFile, output, device, extra] = process.argv.slice(2);
const dist = new URL('../packages/epub-builder/dist/index.js', import.meta.url);
const { buildEpub } = await import(pathToFileURL(dist.pathname).href);
const raw = JSON.parse(await readFile(issueFile, 'utf8'));
const issue = {
  ...raw,
  date: new Date(raw.date),
  sections: raw.sections.map((s) => ({
    ...s,
    articles: s.articles.map((a) => ({ ...a, published: a.published ? new Date(a.published) : undefined })),
  })),
};
// No image budget: the book must hold the same images as pandoc's for the size comparison.
const options = { output, fetch: globalThis.fetch, imageBudgetBytes: Number.POSITIVE_INFINITY };
if (device) options.device = device;
if (extra) Object.assign(options, JSON.parse(extra));
const result = await buildEpub(issue, options);
process.stdout.write(
  `${JSON.stringify({ path: result.path, bytes: result.bytes, articles: result.articles, images: result.images, warnings: result.warnings?.length ?? 0 })}\n`,
);
