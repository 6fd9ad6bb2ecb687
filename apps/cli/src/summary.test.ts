import { describe, expect, it } from 'vitest';
import type { Styles } from './io.js';
import { type ReportView, displayWidth, exitCodeFor, renderSendSummary } from './summary.js';

const plain: Styles = { bold: String, dim: String, red: String, green: String, yellow: String };

const report = (patch: Partial<ReportView>): ReportView => ({
  outcome: 'delivered',
  feeds: [
    { url: 'http://a/feed', title: 'Alpha', status: 'ok', fetched: 4, new: 2 },
    { url: 'http://b/feed', title: '山海晚报', status: 'ok', fetched: 2, new: 1 },
  ],
  articles: 3,
  volumes: [{ path: '/tmp/x/News.epub', bytes: 120_000, articles: 3 }],
  recipients: ['me@kindle.com'],
  bytes: 120_000,
  transport: 'smtp',
  timings: { totalMs: 2300, fetchMs: 800, buildMs: 1200, sendMs: 300 },
  ...patch,
});

const broken = {
  url: 'http://c/feed',
  title: 'Broken',
  status: 'failed',
  fetched: 0,
  new: 0,
  error: { code: 'HTTP_STATUS', message: 'HTTP 500' },
};

describe('exitCodeFor', () => {
  it('maps outcomes and failed feeds to the documented codes', () => {
    expect(exitCodeFor(report({}))).toBe(0);
    expect(exitCodeFor(report({ outcome: 'nothing-new' }))).toBe(0);
    expect(exitCodeFor(report({ outcome: 'failed' }))).toBe(1);
    expect(exitCodeFor(report({ feeds: [...report({}).feeds, broken] }))).toBe(3);
    const ok = report({}).feeds[0]!;
    expect(exitCodeFor(report({ outcome: 'nothing-new', feeds: [ok, broken] }))).toBe(0);
    // Every feed failing is an outage, not a quiet day.
    expect(exitCodeFor(report({ outcome: 'nothing-new', feeds: [broken, broken] }))).toBe(1);
    expect(renderSendSummary(report({ outcome: 'nothing-new', feeds: [broken] }), plain)).toContain(
      'Every feed failed (1)',
    );
  });
});

describe('renderSendSummary', () => {
  it('says where the book and the message went when there is no SMTP server', () => {
    const text = renderSendSummary(
      report({ transport: 'outbox', outbox: ['/o/1-News.epub', '/o/1-News.eml'], recipients: [] }),
      plain,
    );
    expect(text).toContain('Delivered 3 articles from 2 feeds (1 book, 120.0 KB) to the outbox folder.');
    expect(text).toContain('No SMTP server is configured');
    expect(text).toContain('  book:    /o/1-News.epub');
    expect(text).toContain('  message: /o/1-News.eml');
  });

  it('names the recipients, the failed feeds and the time taken', () => {
    const text = renderSendSummary(report({ feeds: [...report({}).feeds, broken] }), plain);
    expect(text).toContain('Delivered 3 articles from 2 feeds (1 book, 120.0 KB) to me@kindle.com.');
    expect(text).toMatch(/✗ Broken\s+HTTP 500/);
    expect(text).toContain('1 feed failed');
    expect(text).toContain('Took 2.3 s (fetch 800 ms, build 1.2 s, send 300 ms).');
  });

  it('explains failures and nothing-new', () => {
    expect(
      renderSendSummary(
        report({ outcome: 'failed', error: { code: 'SEND_FAILED', message: 'smtp: 421 try later' } }),
        plain,
      ),
    ).toContain('Delivery failed: smtp: 421 try later\nNothing was recorded');
    expect(renderSendSummary(report({ outcome: 'nothing-new' }), plain)).toContain(
      'Nothing new since the last delivery',
    );
  });

  it('aligns wide characters', () => {
    expect(displayWidth('山海晚报')).toBe(8);
    expect(displayWidth('Alpha')).toBe(5);
    const lines = renderSendSummary(report({}), plain)
      .split('\n')
      .filter((l) => l.includes('new'));
    const widths = lines.map((l) => displayWidth(l.slice(0, l.search(/\d+ items/))));
    expect(widths).toHaveLength(2);
    expect(widths[0]).toBe(widths[1]);
  });
});
