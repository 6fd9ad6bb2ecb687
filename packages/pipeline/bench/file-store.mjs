// Measures the file store at the size a long-running setup reaches: many feeds, many delivered
// ids kept for the retention period. Runs against the built package (`pnpm build` first).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileStore } from '../dist/file-store.js';

const FEEDS = Number(process.env.FEEDS ?? 200);
const IDS = Number(process.env.IDS ?? 300);
const dir = await mkdtemp(join(tmpdir(), 'n2k-bench-'));
const ms = (start) => (performance.now() - start).toFixed(1);
try {
  const store = createFileStore({ dir });
  const at = new Date();
  let start = performance.now();
  for (let f = 0; f < FEEDS; f++) {
    const feedUrl = `https://news${f}.example.org/feed.xml`;
    await store.commit({
      delivered: Array.from({ length: IDS }, (_, i) => ({
        feedUrl,
        id: `https://news${f}.example.org/article/${i}`,
        deliveredAt: at,
      })),
      feeds: [{ url: feedUrl, etag: `"${f}"`, lastSuccessAt: at, lastCheckedAt: at, lastStatus: 'ok' }],
    });
  }
  const fill = ms(start);
  const { size } = await stat(join(dir, 'state.json'));

  start = performance.now();
  await store.commit({
    delivered: [{ feedUrl: 'https://news0.example.org/feed.xml', id: 'one-more', deliveredAt: at }],
    run: {
      id: 'r',
      startedAt: at,
      finishedAt: at,
      outcome: 'delivered',
      counts: { feeds: FEEDS, failedFeeds: 0, articles: 1, volumes: 1, bytes: 1 },
    },
  });
  const oneCommit = ms(start);

  // What a delivery does: read feed states, then the delivered ids of every feed.
  const reader = createFileStore({ dir });
  start = performance.now();
  await reader.feedStates();
  let total = 0;
  for (let f = 0; f < FEEDS; f++) total += (await reader.deliveredIds(`https://news${f}.example.org/feed.xml`)).size;
  const lookups = ms(start);

  console.log(
    `file store: ${FEEDS} feeds × ${IDS} ids = ${total} delivered ids, state.json ${(size / 1024 / 1024).toFixed(2)} MB`,
  );
  console.log(`  ${FEEDS} commits while filling: ${fill} ms; one commit at full size: ${oneCommit} ms`);
  console.log(`  a run's reads (feed states + ${FEEDS} deliveredIds): ${lookups} ms`);
  console.log(`  peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
