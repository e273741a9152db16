// Builds of the JS API side by side in one headless-Chromium page, ours alone, batches of runs
// alternating between them: before/after figures of a change as a page sees it (benches/README.md
// §7), and the page's profile. The Chromium twin of crates/asl-wasm/bench/ab.mjs.
//   node js-api-ab.mjs KIT_DIR MODE N WORKLOAD ASL_WASM_WEB_DIR... [--batch K] [--warmup K] [--pause MS] [--profile FILE]
// MODE as for ab.mjs: `run` (a workload without tasks; pass-loop-* as EXPRESS), `withMocks`,
// `declined` or `onTask` (task-heavy, task-flaky). After --warmup runs of each build (default 5;
// 0 with --batch 1 shows the first runs, e.g. V8's tier-up), N batches of K runs (default 10) per build, the
// builds' batches alternating; a run is start, run to the end, eventCount and free, as in the
// bench. Prints per build the page's main-thread CPU time per run (CDP Performance.getMetrics
// ThreadTime around each batch, divided by K: the page's timer is coarsened to 0.1 ms and its wall
// time counts waits for a CPU, neither of which this does) and the wall time per run, median and
// min over the batches. --pause: the page idles MS ms before each batch (the bench idles 30 ms
// before each run: with --batch 1 --pause 30 a run starts as the bench's do). With --profile, after the batches, 200 more runs of the first build (in
// batches of K, each after the pause) under the CDP sampling profiler (50 µs), written as a .cpuprofile (read it with
// crates/asl-wasm/bench/cpuprofile-top.mjs). V8 flags: ASL_BENCH_JS_FLAGS (default --no-liftoff,
// as scripts/bench).
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './harness.mjs';
import { serveDir } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
let batch = 10, profile, pauseMs = 0, warmup = 5;
const pos = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--batch') batch = +args[++i];
  else if (args[i] === '--profile') profile = args[++i];
  else if (args[i] === '--pause') pauseMs = +args[++i];
  else if (args[i] === '--warmup') warmup = +args[++i];
  else pos.push(args[i]);
}
const [kit, mode, n, name, ...dirs] = pos;
if (!dirs.length) throw new Error('usage: js-api-ab.mjs KIT_DIR MODE N WORKLOAD ASL_WASM_WEB_DIR... [--batch K] [--profile FILE]');

const root = mkdtempSync(path.join(os.tmpdir(), 'asl-js-api-ab-'));
dirs.forEach((d, i) => symlinkSync(path.resolve(d), path.join(root, `b${i}`)));
symlinkSync(path.resolve(kit, 'workloads'), path.join(root, 'workloads'));
symlinkSync(path.resolve(here, '../../crates/asl-wasm/bench/workloads.mjs'), path.join(root, 'workloads.mjs'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><meta charset="utf-8"><title>js api a/b</title>');

const flags = process.env.ASL_BENCH_JS_FLAGS ?? '--no-liftoff';
const server = await serveDir(root);
const browser = await launch(flags ? [`--js-flags=${flags}`] : []);
try {
  const page = await browser.newPage();
  page.on('pageerror', (e) => console.error(e));
  await page.goto(server.url);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const threadMs = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime').value * 1000;
  await page.evaluate(async ({ count, mode, name }) => {
    const { abRun } = await import('/workloads.mjs');
    const get = (ext) => fetch(`/workloads/${name}.${ext}`).then((r) => r.text());
    const text = await get('asl.json');
    const input = JSON.parse(await get('input.json'));
    const meta = (await (await fetch('/workloads/meta.json')).json())[name];
    window.builds = [];
    for (let i = 0; i < count; i++) {
      const mod = await import(`/b${i}/asl_wasm.js`);
      await mod.default();
      window.builds.push(abRun(mod.StateMachine, { mode, name, text, input, meta, label: `build ${i}` }));
    }
    window.batch = (i, k) => {
      const t = performance.now();
      for (let j = 0; j < k; j++) window.builds[i]();
      return performance.now() - t;
    };
  }, { count: dirs.length, mode, name });
  for (let i = 0; i < dirs.length; i++) if (warmup) await page.evaluate(([i, k]) => window.batch(i, k), [i, warmup]);
  const cpu = dirs.map(() => []), wall = dirs.map(() => []);
  for (let r = 0; r < +n; r++) {
    for (let i = 0; i < dirs.length; i++) {
      if (pauseMs) await page.evaluate((ms) => new Promise((resolve) => setTimeout(resolve, ms)), pauseMs);
      const t0 = await threadMs();
      const w = await page.evaluate(([i, k]) => window.batch(i, k), [i, batch]);
      const t1 = await threadMs();
      cpu[i].push((t1 - t0) / batch);
      wall[i].push(w / batch);
    }
  }
  const at = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return +s[Math.floor(q * (s.length - 1))].toFixed(3); };
  const version = await browser.version();
  dirs.forEach((d, i) => console.log(JSON.stringify({
    build: d, workload: name, mode, batches: +n, batch, warmup, pause_ms: pauseMs, chromium: version, v8_flags: flags,
    cpu_min_ms: at(cpu[i], 0), cpu_median_ms: at(cpu[i], 0.5), wall_min_ms: at(wall[i], 0), wall_median_ms: at(wall[i], 0.5),
    ...(+n <= 10 ? { cpu_ms: cpu[i].map((x) => +x.toFixed(2)) } : {}),
  })));
  if (profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
    await cdp.send('Profiler.start');
    for (let r = 0; r < Math.ceil(200 / batch); r++) {
      if (pauseMs) await page.evaluate((ms) => new Promise((resolve) => setTimeout(resolve, ms)), pauseMs);
      await page.evaluate(([k]) => window.batch(0, k), [batch]);
    }
    const { profile: p } = await cdp.send('Profiler.stop');
    writeFileSync(profile, JSON.stringify(p));
  }
} finally {
  await browser.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
}
