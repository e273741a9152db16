// Benchmark (prints figures, asserts nothing): how long a keystroke in a 200-state definition
// takes to reach the diagnostics and the graph. `node typing-bench.mjs [DIST]`, default ../../dist.
// Prints one JSON line: the app's own timings of analysis (asl-core load + validate) and graph
// drawing (asl-graph layout + SVG), and input-event → graph-redrawn wall time, which includes the
// 200 ms typing debounce. Medians of 15 keystrokes after 3 warm-ups.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveDir } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.argv[2] ?? path.join(here, '../../dist'));

function definition(n) {
  const States = {};
  for (let i = 0; i < n; i++) {
    const name = `S${String(i).padStart(3, '0')}`;
    const next = i + 1 < n ? `S${String(i + 1).padStart(3, '0')}` : null;
    if (i % 20 === 10 && next) {
      States[name] = { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1000, Next: 'Done' }], Default: next };
    } else if (i % 5 === 0) {
      States[name] = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': `f${i}`, 'Payload.$': '$' },
        ResultSelector: { 'v.$': '$.Payload' }, ResultPath: `$.r${i}`, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }],
        ...(next ? { Next: next } : { End: true }) };
    } else {
      States[name] = { Type: 'Pass', Parameters: { 'i': i, 'n.$': 'States.MathAdd($.n, 1)' }, ...(next ? { Next: next } : { End: true }) };
    }
  }
  States.Done = { Type: 'Succeed' };
  return JSON.stringify({ Comment: 'typing', StartAt: 'S000', States }, null, 2);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const server = await serveDir(dist);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(server.url);
  const editor = '[data-testid="definition-editor"]';
  await page.waitForSelector(editor);
  const text = definition(200);
  await page.fill(editor, text);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="graph"] .asl-node[data-state]').length === 201, null, { timeout: 60000 });
  await page.evaluate(() => {
    const ta = document.querySelector('[data-testid="definition-editor"]');
    ta.addEventListener('input', () => { window.__input = performance.now(); }, true);
    new MutationObserver(() => { window.__graph = performance.now(); })
      .observe(document.body, { attributes: true, attributeFilter: ['data-graph-count'] });
  });
  const at = text.indexOf('"typing"') + 2; // inside the Comment string
  await page.focus(editor);
  await page.evaluate((pos) => document.querySelector('[data-testid="definition-editor"]').setSelectionRange(pos, pos), at);
  const rows = [];
  for (let i = 0; i < 18; i++) {
    const before = await page.evaluate(() => Number(document.body.dataset.graphCount ?? 0));
    await page.keyboard.type('x');
    await page.waitForFunction((b) => Number(document.body.dataset.graphCount ?? 0) > b, before, { timeout: 30000 });
    const r = await page.evaluate(() => ({
      analyze: Number(document.body.dataset.analyzeMs), graph: Number(document.body.dataset.graphMs),
      e2e: window.__graph - window.__input,
    }));
    if (i >= 3) rows.push(r);
  }
  console.log(JSON.stringify({
    workload: 'def-200 keystroke in the playground', states: 200, chars: text.length, keystrokes: rows.length,
    debounce_ms: 200,
    analyze_median_ms: +median(rows.map((r) => r.analyze)).toFixed(2),
    graph_median_ms: +median(rows.map((r) => r.graph)).toFixed(2),
    input_to_graph_median_ms: +median(rows.map((r) => r.e2e)).toFixed(1),
    input_to_graph_max_ms: +Math.max(...rows.map((r) => r.e2e)).toFixed(1),
  }));
} finally {
  await browser.close();
  await server.close();
}
