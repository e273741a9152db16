// Benchmark (prints figures, asserts nothing): how long a keystroke in a 200-state definition
// takes to reach the diagnostics and the graph. `node typing-bench.mjs [DIST]`, default ../../dist.
// The definition has Choice and Catch edges (every fourth Task catches to a shared Fail state),
// the shapes that once made layout take seconds.
// Prints one JSON line: the app's own timings of analysis (asl-core load + validate) and graph
// drawing (asl-graph layout + SVG), for a keystroke the drawing does not show (a Parameters value) and
// one it does (a retry count), and input-event → done wall times, which include the 200 ms
// typing debounce; and input-event → next frame painted (what typing itself feels like: the
// editor's own update, before any analysis). Medians after warm-ups.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './harness.mjs';
import { serveDir } from './server.mjs';
import { definition } from './typing-definition.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.argv[2] ?? path.join(here, '../../dist'));

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const server = await serveDir(dist);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(server.url);
  const editor = '[data-testid="definition-editor"]';
  await page.waitForSelector(editor);
  const text = definition(200);
  // A 41 KB fill on a loaded machine can take longer than the default 30 s to become actionable.
  await page.fill(editor, text, { timeout: 120000 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="graph"] .asl-node[data-state]').length === 202, null, { timeout: 60000 });
  const fullLayoutMs = await page.evaluate(() => Number(document.body.dataset.layoutMs));
  await page.evaluate(() => {
    const ta = document.querySelector('[data-testid="definition-editor"]');
    ta.addEventListener('input', () => {
      const t = performance.now();
      window.__input = t;
      // The frame after the input: the editor's own work (text, highlight, gutter) is done.
      requestAnimationFrame(() => setTimeout(() => { window.__paint = performance.now() - t; }, 0));
    }, true);
    new MutationObserver((ms) => {
      for (const m of ms) window['__' + m.attributeName] = performance.now();
    }).observe(document.body, { attributes: true, attributeFilter: ['data-graph-count', 'data-analyze-count'] });
  });
  const count = (k) => page.evaluate((k) => Number(document.body.dataset[k] ?? 0), k);
  const select = (from, to) => page.evaluate(([a, b]) => document.querySelector('[data-testid="definition-editor"]').setSelectionRange(a, b), [from, to]);
  await page.focus(editor);

  // A: a keystroke the drawing does not show (a Parameters value): analysis only.
  const hidden = [];
  let at = text.indexOf('"FunctionName": "f5"') + '"FunctionName": "f'.length;
  for (let i = 0; i < 18; i++) {
    await select(at, at);
    const before = await count('analyzeCount');
    const graphBefore = await count('graphCount');
    await page.keyboard.type('x');
    at += 1;
    await page.waitForFunction((b) => Number(document.body.dataset.analyzeCount ?? 0) > b, before, { timeout: 30000 });
    await page.waitForTimeout(50); // let a (wrong) redraw show up if one were coming
    const redrawn = (await count('graphCount')) !== graphBefore;
    const r = await page.evaluate(() => ({ analyze: Number(document.body.dataset.analyzeMs), e2e: window['__data-analyze-count'] - window.__input, paint: window.__paint }));
    r.redrawn = redrawn;
    if (i >= 3) hidden.push(r);
  }
  // B: a keystroke the drawing shows (a retry count badge): analysis + layout + SVG.
  const structural = [];
  const current = await page.inputValue(editor);
  const digit = current.indexOf('"MaxAttempts": 2') + '"MaxAttempts": '.length;
  for (let i = 0; i < 11; i++) {
    await select(digit, digit + 1);
    const before = await count('graphCount');
    await page.keyboard.type(i % 2 === 0 ? '3' : '2');
    await page.waitForFunction((b) => Number(document.body.dataset.graphCount ?? 0) > b, before, { timeout: 60000 });
    const r = await page.evaluate(() => ({ layout: Number(document.body.dataset.layoutMs), svg: Number(document.body.dataset.graphMs), e2e: window['__data-graph-count'] - window.__input }));
    if (i >= 1) structural.push(r);
  }
  const med = (rows, k) => +median(rows.map((r) => r[k])).toFixed(2);
  console.log(JSON.stringify({
    workload: 'def-200 typing in the playground', states: 202, chars: text.length, debounce_ms: 200,
    full_layout_ms: fullLayoutMs,
    hidden_keystroke: { n: hidden.length, input_to_paint_median_ms: med(hidden, 'paint'), analyze_median_ms: med(hidden, 'analyze'), input_to_done_median_ms: med(hidden, 'e2e'), redrawn: hidden.filter((r) => r.redrawn).length },
    structural_keystroke: { n: structural.length, layout_median_ms: med(structural, 'layout'), svg_median_ms: med(structural, 'svg'), input_to_graph_median_ms: med(structural, 'e2e') },
    loadavg: (await import('node:os')).loadavg().map((x) => +x.toFixed(2)),
  }));
} finally {
  await browser.close();
  await server.close();
}
