// Benchmark (prints figures, asserts nothing): the stepper in Chromium on long histories.
// `node stepper-bench.mjs [DIST]`, default ../../dist. Prints one JSON line:
// - stepMs: one → or ← with a 10,000-event history and a state inspected: `work` from the key
//   event until the app's reactive updates are done (the core's move, the overlay, the graph's
//   classes, the inspector, the History window: everything the app does, measured to the next
//   macrotask), and `frame` to the next animation frame (which also waits for the display's
//   refresh, so ~16 ms is its floor); median and max of 40;
// - seekMs: a scrubber seek to a random event of that history, the same two figures, of 20;
// - run25k: a 25,000-event run to the end (sliced per frame): wall time, frames, and the
//   longest main-thread task the browser saw (PerformanceObserver 'longtask': > 50 ms ones), and
//   the wasm memory after it (a wasm memory only grows, so this is the run's peak);
// - firstGraphMs: navigation start → the first state node of the graph in the DOM (the first
//   visit's example), and the wasm memory then.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './harness.mjs';
import { serveDir } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.argv[2] ?? path.join(here, '../../dist'));

// A Choice + Pass loop: 4 events per iteration, plus start and end.
const loop = (iterations) => JSON.stringify({
  StartAt: 'Check',
  States: {
    Check: { Type: 'Choice', Choices: [{ Variable: '$.i', NumericLessThan: iterations, Next: 'Incr' }], Default: 'Done' },
    Incr: { Type: 'Pass', Parameters: { 'i.$': 'States.MathAdd($.i, 1)' }, Next: 'Check' },
    Done: { Type: 'Succeed' },
  },
}, null, 2);

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const server = await serveDir(dist);
const browser = await launch();
const out = {};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  // Before the app's script: keep the wasm instance's exports (for `memory`; public/boot.js
  // instantiates the compiled module through the glue) and time the first graph.
  await page.addInitScript(() => {
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = async function (...args) {
      const r = await instantiate.apply(this, args);
      // The memory found by type: the release build's post-build pass renames exports (a, b, …).
      const exports = (r instanceof WebAssembly.Instance ? r : r.instance).exports;
      window.__wasmMemory = Object.values(exports).find((e) => e instanceof WebAssembly.Memory);
      return r;
    };
    new MutationObserver((_, obs) => {
      if (document.querySelector('[data-testid="graph"] .asl-node')) { window.__firstGraph = performance.now(); obs.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  });
  const wasmMB = () => page.evaluate(() => +(window.__wasmMemory.buffer.byteLength / 2 ** 20).toFixed(1));
  await page.goto(server.url);
  await page.waitForSelector('[data-testid="definition-editor"]');
  await page.waitForFunction(() => window.__firstGraph !== undefined, null, { timeout: 60000 });
  out.firstGraphMs = +(await page.evaluate(() => window.__firstGraph)).toFixed(1);
  out.wasmMemoryAtFirstGraphMB = await wasmMB();
  const load = async (iterations) => {
    await page.fill('[data-testid="definition-editor"]', loop(iterations));
    await page.fill('[data-testid="input-editor"]', '{"i": 0}').catch(async () => {
      await page.click('[data-testid="tab-input"]');
      await page.fill('[data-testid="input-editor"]', '{"i": 0}');
    });
    await page.waitForSelector('[data-testid="graph"] .asl-node[data-state="Incr"]');
    await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
  };
  const counter = () => page.evaluate(() => Number(document.querySelector('[data-testid="step-counter"]').textContent.match(/event (\d+)/)?.[1] ?? -1));

  // 10,000 events: run to the end, inspect a state, go to the middle, then time steps.
  await page.click('[data-testid="tab-input"]');
  await load(2499);
  await page.keyboard.press('End');
  await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 60000 });
  out.events10k = await counter();
  await page.click('[data-testid="graph"] .asl-node[data-state="Incr"]');
  await page.click('[data-testid="tab-history"]');
  // Times `act` (run in the page): to the next macrotask (all reactive work done), and to the
  // next animation frame.
  await page.evaluate(() => {
    window.__timeIt = (act) => new Promise((resolve) => {
      const t0 = performance.now();
      act();
      const ch = new MessageChannel();
      ch.port1.onmessage = () => {
        const work = performance.now() - t0;
        requestAnimationFrame(() => resolve({ work, frame: performance.now() - t0 }));
      };
      ch.port2.postMessage(0);
    });
  });
  const step = (key) => page.evaluate((key) => window.__timeIt(() => window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }))), key);
  await page.evaluate(() => { const s = document.querySelector('[data-testid="scrubber"]'); s.value = '5000'; s.dispatchEvent(new Event('input', { bubbles: true })); });
  const steps = [];
  for (let i = 0; i < 20; i++) steps.push(await step('ArrowRight'));
  for (let i = 0; i < 20; i++) steps.push(await step('ArrowLeft'));
  const stats = (xs) => ({
    work: { median: +median(xs.map((x) => x.work)).toFixed(2), max: +Math.max(...xs.map((x) => x.work)).toFixed(2) },
    frame: { median: +median(xs.map((x) => x.frame)).toFixed(2), max: +Math.max(...xs.map((x) => x.frame)).toFixed(2) },
    n: xs.length,
  });
  out.stepMs = stats(steps);
  const seeks = [];
  for (let i = 0; i < 20; i++) {
    const to = Math.floor(Math.random() * out.events10k);
    seeks.push(await page.evaluate((to) => window.__timeIt(() => {
      const s = document.querySelector('[data-testid="scrubber"]');
      s.value = String(to);
      s.dispatchEvent(new Event('input', { bubbles: true }));
    }), to));
  }
  out.seekMs = stats(seeks);

  // 25,000 events (just under Standard's limit): long tasks while it runs.
  await page.click('[data-testid="tab-input"]');
  await load(6247);
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push(e.duration); }).observe({ type: 'longtask', buffered: false });
    window.__frames = 0;
    const tick = () => { window.__frames++; if (!window.__stopFrames) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const t0 = Date.now();
  await page.keyboard.press('End');
  await page.waitForFunction(() => /SUCCEEDED|FAILED/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''), null, { timeout: 120000 });
  const wall = Date.now() - t0;
  const r = await page.evaluate(() => { window.__stopFrames = true; return { long: window.__long, frames: window.__frames }; });
  out.run25k = { events: await counter(), wallMs: wall, frames: r.frames, longTasksOver50ms: r.long.length, longestTaskMs: r.long.length ? Math.max(...r.long) : 0, wasmMemoryPeakMB: await wasmMB() };
} finally {
  await browser.close();
  await server.close();
}
console.log(JSON.stringify(out));
