import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireTool } from '@news2kindle/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type RunningProcess,
  WEB_JS,
  freePort,
  requireBuilt,
  seedFileHistory,
  startProcess,
  waitForPort,
} from './test-process.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = requireTool('chromium', CHROMIUM, ['--headless', '--no-sandbox', '--version']);
// Screenshots go to a git-ignored folder, for a human to look at after the run.
const OUT = fileURLToPath(new URL('../test-output/', import.meta.url));

describe.skipIf(!hasChromium)('status page in headless Chromium (no JavaScript)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'n2k-heroku-browser-'));
  let web: RunningProcess;
  let port: number;

  beforeAll(async () => {
    requireBuilt();
    const env = await seedFileHistory(dir);
    port = await freePort();
    web = startProcess(process.execPath, [WEB_JS], { ...env, PORT: String(port), DYNO: 'web.1' });
    await waitForPort(port, 10_000, web.child);
  });

  afterAll(async () => {
    web?.child.kill('SIGTERM');
    await web?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads on a phone: no sideways scrolling, the facts visible, a screenshot saved', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const context = await browser.newContext({
        viewport: { width: 375, height: 740 },
        deviceScaleFactor: 2,
        isMobile: true,
        javaScriptEnabled: false,
      });
      const page = await context.newPage();
      const response = await page.goto(`http://127.0.0.1:${port}/`);
      expect(response?.status()).toBe(200);
      expect(await page.title()).toBe('news2kindle status');
      const heading = page.getByRole('heading', { name: 'Last deliveries' });
      expect(await heading.isVisible()).toBe(true);
      expect(await page.getByText('17 articles').isVisible()).toBe(true);
      expect(await page.getByText('HTTP 503 Service Unavailable').first().isVisible()).toBe(true);
      const widths = await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]');
      const [scrollWidth, innerWidth] = widths as [number, number];
      expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
      const fontSize = await page.evaluate('parseFloat(getComputedStyle(document.body).fontSize)');
      expect(fontSize).toBeGreaterThanOrEqual(16);
      mkdirSync(OUT, { recursive: true });
      const file = join(OUT, 'status-page-phone.png');
      await page.screenshot({ path: file, fullPage: true });
      expect(statSync(file).size).toBeGreaterThan(10_000);
      console.log(`[heroku] screenshot: ${file}`);
    } finally {
      await browser.close();
    }
  });
});
