// A small SVG chart (no chart library): peak RSS and wall time against article count, one line
// per tool, both axes logarithmic so 20 and 1000 articles and 50 MB and 2 GB fit one picture.

const COLORS = {
  cli: '#1b7f3b',
  'cli-malloc': '#8fd18f',
  'cli-preset': '#00a0a0',
  epub: '#2d6cdf',
  pandoc: '#c0392b',
  'calibre-epub': '#d68910',
  'calibre-azw3': '#7d3c98',
};
const NAMES = {
  cli: 'news2kindle build',
  'cli-malloc': 'news2kindle, malloc preset',
  'cli-preset': 'news2kindle, malloc + flag preset',
  epub: 'epub-builder alone',
  pandoc: 'pandoc',
  'calibre-epub': 'calibre HTML→EPUB',
  'calibre-azw3': 'calibre EPUB→AZW3',
};
const W = 420;
const H = 300;
const PAD = { left: 64, right: 14, top: 34, bottom: 42 };

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;');

// The nearest 1-2-5 step below / above a value, so log axes start and end on a labelled tick.
function niceBelow(v) {
  const e = 10 ** Math.floor(Math.log10(v));
  return [5, 2, 1].map((m) => m * e).find((x) => x <= v) ?? e;
}
function niceAbove(v) {
  const e = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 5, 10].map((m) => m * e).find((x) => x >= v) ?? 10 * e;
}

function niceTicks(lo, hi) {
  const ticks = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) ticks.push(v);
    }
  }
  return ticks;
}

function panel(run, { x0, title, unit, value, targets }) {
  const sizes = run.results.map((r) => r.size);
  const series = {};
  for (const e of run.results) {
    for (const [tool, slot] of Object.entries(e.tools)) {
      const v = value(slot.median);
      if (!v) continue;
      series[tool] ??= [];
      series[tool].push([e.size, v]);
    }
  }
  const all = Object.values(series)
    .flat()
    .map(([, v]) => v)
    .concat(targets.map(([, v]) => v));
  if (all.length === 0) return '';
  const yLo = niceBelow(Math.min(...all) * 0.8);
  const yHi = niceAbove(Math.max(...all) * 1.25);
  const xLo = Math.min(...sizes) / 1.5;
  const xHi = Math.max(...sizes) * 1.5;
  const px = (x) =>
    x0 + PAD.left + ((Math.log(x) - Math.log(xLo)) / (Math.log(xHi) - Math.log(xLo))) * (W - PAD.left - PAD.right);
  const py = (y) =>
    PAD.top + (1 - (Math.log(y) - Math.log(yLo)) / (Math.log(yHi) - Math.log(yLo))) * (H - PAD.top - PAD.bottom);
  const g = [];
  g.push(`<text x="${x0 + W / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(title)}</text>`);
  g.push(
    `<rect x="${x0 + PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" fill="none" stroke="#999"/>`,
  );
  for (const t of niceTicks(yLo, yHi)) {
    g.push(`<line x1="${x0 + PAD.left}" x2="${x0 + W - PAD.right}" y1="${py(t)}" y2="${py(t)}" stroke="#eee"/>`);
    g.push(`<text x="${x0 + PAD.left - 4}" y="${py(t) + 4}" text-anchor="end">${t}</text>`);
  }
  for (const s of sizes) {
    g.push(`<line x1="${px(s)}" x2="${px(s)}" y1="${PAD.top}" y2="${H - PAD.bottom}" stroke="#eee"/>`);
    g.push(`<text x="${px(s)}" y="${H - PAD.bottom + 16}" text-anchor="middle">${s}</text>`);
  }
  g.push(`<text x="${x0 + W / 2}" y="${H - 8}" text-anchor="middle">articles</text>`);
  g.push(`<text transform="translate(${x0 + 14} ${H / 2}) rotate(-90)" text-anchor="middle">${esc(unit)}</text>`);
  for (const [x, y] of targets) {
    g.push(`<path d="M${px(x) - 6} ${py(y)}h12" stroke="#1b7f3b" stroke-width="3"/>`);
    g.push(`<text x="${px(x) - 9}" y="${py(y) + 4}" text-anchor="end" fill="#1b7f3b">target ≤ ${y}</text>`);
  }
  for (const [tool, points] of Object.entries(series)) {
    const color = COLORS[tool] ?? '#333';
    const d = points.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)} ${py(y).toFixed(1)}`).join(' ');
    // What-if variants dashed, so the measured line under them stays visible.
    const dash = tool.startsWith('cli-') ? ' stroke-dasharray="6 4"' : '';
    g.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="2"${dash}/>`);
    for (const [x, y] of points)
      g.push(`<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${color}"/>`);
  }
  return g.join('\n');
}

/** The chart as an SVG document. */
export function renderChart(run) {
  const tools = [...new Set(run.results.flatMap((e) => Object.keys(e.tools).filter((t) => e.tools[t].median?.n > 0)))];
  const legendY = H + 10;
  const legend = tools
    .map((t, i) => {
      const x = 20 + (i % 3) * 280;
      const y = legendY + Math.floor(i / 3) * 18;
      return `<rect x="${x}" y="${y}" width="14" height="4" fill="${COLORS[t] ?? '#333'}"/><text x="${x + 20}" y="${y + 6}">${esc(NAMES[t] ?? t)}</text>`;
    })
    .join('\n');
  const height = legendY + Math.ceil(tools.length / 3) * 18 + 10;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${2 * W}" height="${height}" viewBox="0 0 ${2 * W} ${height}" font-family="sans-serif" font-size="11">
<title>news2kindle benchmark: peak RSS and wall time against article count</title>
<rect width="100%" height="100%" fill="#fff"/>
${panel(run, {
  x0: 0,
  title: 'Peak RSS of the process tree (MB, log)',
  unit: 'MB',
  value: (m) => m.treePeakKb && m.treePeakKb / 1024,
  targets: [
    [200, 128],
    [1000, 192],
  ].filter(([s]) => run.results.some((r) => r.size === s)),
})}
${panel(run, { x0: W, title: 'Wall time (s, log)', unit: 'seconds', value: (m) => m.wallMs && m.wallMs / 1000, targets: [] })}
${legend}
</svg>
`;
}
