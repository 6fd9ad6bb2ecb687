import { mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { buildEpub } from './build.js';
import { EpubError } from './errors.js';
import type { BuildOptions, BuildResult, Issue, IssueArticle } from './types.js';
import { formatDate } from './article-page.js';
import { oneLine } from './xml.js';

export interface VolumeOptions extends Omit<BuildOptions, 'output'> {
  output?: string;
  /** Folder for the volumes (created when missing). */
  outputDir: string;
  /** Largest volume in bytes (Send to Kindle: 50 MB per message, attachments included). */
  maxBytes: number;
  /** File name of a volume (default `news-YYYY-MM-DD-1of2.epub`, or `news-YYYY-MM-DD.epub` alone). */
  fileName?: (volume: number, total: number) => string;
}

type Part = { article: IssueArticle; section: number };

function subIssue(issue: Issue, parts: Part[]): Issue {
  const sections = issue.sections.map((s) => ({ ...s, articles: [] as IssueArticle[] }));
  for (const p of parts) sections[p.section]!.articles.push(p.article);
  return { ...issue, sections: sections.filter((s) => s.articles.length > 0) };
}

/**
 * Cuts an issue into volumes that each stay under `maxBytes`, never cutting an article. Each volume
 * is a complete book titled "News — 2026-11-29 (1/2)". An article too big on its own is rebuilt
 * without images; if even that is too big, an EpubError `ARTICLE_TOO_LARGE`.
 */
export async function buildVolumes(issue: Issue, options: VolumeOptions): Promise<BuildResult[]> {
  if (!(options.maxBytes > 0)) throw new EpubError('INVALID_OPTIONS', 'maxBytes must be a positive number');
  await mkdir(options.outputDir, { recursive: true });
  const baseTitle = `${oneLine(issue.title) || 'News'} — ${formatDate(issue.date)}`;
  const name =
    options.fileName ?? ((v: number, t: number) => `news-${formatDate(issue.date)}${t > 1 ? `-${v}of${t}` : ''}.epub`);
  const { outputDir, maxBytes, fileName: _f, ...rest } = options;
  const build = (sub: Issue, output: string, title: string, images = options.images) =>
    buildEpub(sub, { ...rest, output, title, images });

  // One trial build measures what each article costs; a single volume is the common case.
  const all: Part[] = issue.sections.flatMap((s, i) => s.articles.map((article) => ({ article, section: i })));
  const trialPath = join(outputDir, name(1, 1));
  const trial = await build(issue, trialPath, baseTitle);
  if (trial.bytes <= maxBytes) return [trial];
  await unlink(trialPath).catch(() => {});
  const overhead = Math.max(0, trial.bytes - Object.values(trial.articleBytes).reduce((a, b) => a + b, 0));

  // Greedy packing by measured cost; a group that still comes out too big is split again.
  const groups: { parts: Part[]; noImages: boolean }[] = [];
  let current: Part[] = [];
  let size = overhead;
  for (const part of all) {
    const cost = trial.articleBytes[part.article.id] ?? 0;
    if (overhead + cost > maxBytes) {
      if (current.length) groups.push({ parts: current, noImages: false });
      groups.push({ parts: [part], noImages: true });
      current = [];
      size = overhead;
      continue;
    }
    if (size + cost > maxBytes && current.length) {
      groups.push({ parts: current, noImages: false });
      current = [];
      size = overhead;
    }
    current.push(part);
    size += cost;
  }
  if (current.length) groups.push({ parts: current, noImages: false });

  for (let attempt = 0; attempt < 8; attempt++) {
    const total = groups.length;
    const names = new Set(Array.from({ length: total }, (_, v) => name(v + 1, total)));
    if (names.size !== total) {
      throw new EpubError('INVALID_OPTIONS', `fileName gives the same name to two of ${total} volumes`);
    }
    const results: BuildResult[] = [];
    let split = -1;
    for (let v = 0; v < total; v++) {
      const group = groups[v]!;
      const output = join(outputDir, name(v + 1, total));
      const result = await build(
        subIssue(issue, group.parts),
        output,
        `${baseTitle} (${v + 1}/${total})`,
        group.noImages ? false : options.images,
      );
      if (result.bytes > maxBytes) {
        await unlink(output).catch(() => {});
        if (group.parts.length > 1) {
          split = v;
          break;
        }
        if (!group.noImages) {
          group.noImages = true;
          split = -2;
          break;
        }
        const part = group.parts[0]!;
        throw new EpubError(
          'ARTICLE_TOO_LARGE',
          `Article "${part.article.title}" (${part.article.id}) makes a ${result.bytes}-byte book even without images; the limit is ${maxBytes}`,
          { articleId: part.article.id, bytes: result.bytes, maxBytes },
        );
      }
      results.push(result);
    }
    if (split === -1) return results;
    for (const r of results) await unlink(r.path).catch(() => {});
    if (split >= 0) {
      const group = groups[split]!;
      const half = Math.ceil(group.parts.length / 2);
      groups.splice(
        split,
        1,
        { parts: group.parts.slice(0, half), noImages: false },
        { parts: group.parts.slice(half), noImages: false },
      );
    }
  }
  throw new EpubError('ARTICLE_TOO_LARGE', `Could not split the issue into volumes under ${maxBytes} bytes`, {
    maxBytes,
  });
}
