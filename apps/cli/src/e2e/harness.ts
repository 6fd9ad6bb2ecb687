import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type TestServer,
  type TestSmtpServer,
  articlePage,
  atom,
  image,
  paragraphs,
  requireTool,
  rss,
  selfSignedCert,
  startSmtpServer,
  startTestServer,
} from '@news2kindle/testkit';

/** The built bin: end-to-end tests run what users run (`pnpm --filter @news2kindle/cli-app build` first). */
export const BIN = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Called with the child once its stderr contains this text (e.g. to send SIGTERM mid-run). */
  onStderr?: { match: RegExp; act: (child: ReturnType<typeof spawn>) => void };
  timeoutMs?: number;
}

/** Runs the built CLI as a child process with a clean environment (only PATH, HOME and `env`). */
export function runCli(args: string[], options: RunOptions = {}): Promise<CliRun> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run pnpm --filter @news2kindle/cli-app build first`);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    NO_COLOR: '1',
  };
  for (const [k, v] of Object.entries(options.env ?? {})) if (v !== undefined) env[k] = v;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd ?? tmpdir(), env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    let fired = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (!fired && options.onStderr?.match.test(stderr)) {
        fired = true;
        options.onStderr.act(child);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const HOUR = 3_600_000;

/** GBK bytes of a UTF-8 string, through the system's iconv (Node has no GBK encoder). */
function gbk(text: string): Buffer {
  return execFileSync('iconv', ['-f', 'UTF-8', '-t', 'GBK'], { input: text });
}

export interface Site {
  server: TestServer;
  /** feeds.txt text listing every feed of the site. */
  feedsTxt: string;
  /** Titles of the articles the site publishes, per feed that works. */
  titles: string[];
  /** Changes how long the slow feed takes to answer. */
  setSlowMs(ms: number): void;
}

/**
 * A news site on loopback: a summary-only RSS feed whose articles live on HTML pages with
 * JPEG/PNG images, a GBK-encoded Chinese feed, a full-content Atom feed served slowly, and a
 * feed that always answers 500.
 */
export async function startSite(options: { slowMs?: number; now?: number } = {}): Promise<Site> {
  const now = options.now ?? Date.now();
  const server = await startTestServer();
  const titles: string[] = [];

  const summaryItems = [1, 2, 3].map((n) => {
    const title = `River council story ${n}`;
    titles.push(title);
    server.route(`/news/story-${n}.html`, {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      body: articlePage({
        title,
        paragraphs: paragraphs(5, 60, n),
        images: [server.at(`/img/photo-${n}.jpg`), '', server.at(`/img/chart-${n}.png`)],
      }),
    });
    return {
      title,
      link: server.at(`/news/story-${n}.html`),
      guid: `river-${n}`,
      html: `Short summary of story ${n}.`,
      published: new Date(now - n * HOUR),
    };
  });
  for (const n of [1, 2, 3]) {
    server.route(`/img/photo-${n}.jpg`, {
      headers: { 'content-type': 'image/jpeg' },
      body: await image('jpeg', 640, 400, n),
    });
    server.route(`/img/chart-${n}.png`, {
      headers: { 'content-type': 'image/png' },
      body: await image('png', 200, 120, n + 10),
    });
  }
  server.route('/feeds/river.rss', {
    headers: { 'content-type': 'application/rss+xml' },
    body: rss({ title: 'River Times', link: server.at('/'), language: 'en', items: summaryItems }),
  });

  const zhItems = [1, 2].map((n) => {
    const title = `山城新闻第${n}条：新桥通车`;
    titles.push(title);
    return {
      title,
      link: server.at(`/zh/${n}.html`),
      guid: `zh-${n}`,
      html: `<p>${'新桥今天正式通车，市民可以步行或骑车过河。'.repeat(8)}</p><p>${'交通部门表示，公交线路也将随之调整。'.repeat(6)}</p>`,
      published: new Date(now - n * HOUR),
    };
  });
  server.route('/feeds/gbk.xml', {
    headers: { 'content-type': 'application/rss+xml; charset=gbk' },
    body: gbk(rss({ title: '山城晚报', link: server.at('/zh/'), language: 'zh-CN', items: zhItems }, 'GBK')),
  });

  const slowItems = [1, 2].map((n) => {
    const title = `Slow but complete report ${n}`;
    titles.push(title);
    return {
      title,
      link: server.at(`/slow/${n}`),
      guid: `slow-${n}`,
      html: paragraphs(4, 50, 100 + n)
        .map((p) => `<p>${p}</p>`)
        .join(''),
      published: new Date(now - n * HOUR),
    };
  });
  const slowBody = atom({ title: 'Slow Weekly', link: server.at('/slow/'), language: 'en', items: slowItems });
  const setSlowMs = (latencyMs: number) =>
    server.route('/feeds/slow.atom', {
      headers: { 'content-type': 'application/atom+xml' },
      body: slowBody,
      latencyMs,
    });
  setSlowMs(options.slowMs ?? 800);

  server.route('/feeds/broken.xml', { status: 500, body: 'internal error' });

  const feedsTxt = [
    '# e2e site',
    `${server.at('/feeds/river.rss')} River Times`,
    server.at('/feeds/gbk.xml'),
    server.at('/feeds/slow.atom'),
    `${server.at('/feeds/broken.xml')} title="Broken Feed"`,
    '',
  ].join('\n');
  return { server, feedsTxt, titles, setSlowMs };
}

export interface Mailbox {
  smtp: TestSmtpServer;
  /** Environment that points the CLI at this server (password included, to test masking). */
  env: Record<string, string>;
  password: string;
}

/** A real SMTP server on loopback with STARTTLS and AUTH; the child trusts its certificate. */
export async function startMailbox(dir: string, port?: number): Promise<Mailbox> {
  const password = 'pw-Very$ecret-42';
  const smtp = await startSmtpServer({
    tls: 'starttls',
    auth: { user: 'robot', pass: password },
    ...(port ? { port } : {}),
  });
  const ca = join(dir, 'smtp-ca.pem');
  await writeFile(ca, selfSignedCert().cert);
  return {
    smtp,
    password,
    env: {
      SMTP_URL: `smtp://robot:${encodeURIComponent(password)}@127.0.0.1:${smtp.port}`,
      EMAIL_FROM: 'news@example.org',
      KINDLE_EMAIL: 'reader_1@kindle.com',
      NODE_EXTRA_CA_CERTS: ca,
    },
  };
}

/** A temporary folder for one test, removed by the returned function. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Files in a folder (empty when it does not exist). */
export async function filesIn(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch {
    return [];
  }
}

const EPUBCHECK = '/usr/share/java/epubcheck.jar';

/** Whether epubcheck can run here (skips with a reason on a user's machine, required in CI). */
export function hasEpubcheck(): boolean {
  return requireTool('java', 'java', ['-version']) && requireTool('epubcheck', 'test', ['-f', EPUBCHECK]);
}

/** Runs the W3C validator on a book: ok, and its output to show when it is not. */
export function epubcheck(path: string): { ok: boolean; output: string } {
  const run = spawnSync('java', ['-jar', EPUBCHECK, path], { encoding: 'utf8', timeout: 120_000 });
  const output = `${run.stdout}${run.stderr}`;
  return { ok: run.status === 0 && /No errors or warnings detected/.test(output), output };
}

/** Workspace for one test: a folder with the site's feeds.txt (optionally without the broken feed). */
export async function workspace(root: string, name: string, site: Site, withBroken = true) {
  const dir = join(root, name);
  await mkdir(dir, { recursive: true });
  const text = withBroken ? site.feedsTxt : site.feedsTxt.replace(/^.*broken.*$/m, '');
  await writeFile(join(dir, 'feeds.txt'), text);
  return {
    dir,
    feeds: join(dir, 'feeds.txt'),
    data: join(dir, 'state'),
    env: { N2K_FEEDS: join(dir, 'feeds.txt'), N2K_DATA_DIR: join(dir, 'state') },
  };
}
