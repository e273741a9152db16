// Benchmark (prints figures, asserts nothing): the JS API (asl-wasm's web build) beside
// aws-local-stepfunctions' browser build, side by side in one headless-Chromium page, on the shared
// workloads (crates/asl-wasm/bench/workloads.mjs says how each is run).
//   node js-api-bench.mjs ASL_WASM_WEB_DIR KIT_DIR [--runs N] [--warmup N] [WORKLOAD...]
// KIT_DIR: the bench kit with `workloads/` generated and the peer in node_modules (scripts/bench
// prepares it). Prints one JSON line per workload and way of answering tasks.
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './harness.mjs';
import { serveDir } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [wasmDir, kit, ...rest] = process.argv.slice(2);
let runs = 5, warmup = 1; const names = [];
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--runs') runs = +rest[++i];
  else if (rest[i] === '--warmup') warmup = +rest[++i];
  else names.push(rest[i]);
}

// One scratch root: our build, the peer's browser bundle, the workloads and the shared runner.
const root = mkdtempSync(path.join(os.tmpdir(), 'asl-js-api-bench-'));
symlinkSync(path.resolve(wasmDir), path.join(root, 'asl'));
symlinkSync(path.resolve(kit, 'node_modules/aws-local-stepfunctions/build/main.browser.esm.js'), path.join(root, 'peer.js'));
symlinkSync(path.resolve(kit, 'workloads'), path.join(root, 'workloads'));
symlinkSync(path.resolve(here, '../../crates/asl-wasm/bench/workloads.mjs'), path.join(root, 'workloads.mjs'));
writeFileSync(path.join(root, 'index.html'), '<!doctype html><meta charset="utf-8"><title>js api bench</title>');

const server = await serveDir(root);
// V8 flags for the page (scripts/bench passes --no-liftoff: see benches/README.md, "Running").
const browser = await launch(process.env.ASL_BENCH_JS_FLAGS ? [`--js-flags=${process.env.ASL_BENCH_JS_FLAGS}`] : []);
try {
  const page = await browser.newPage();
  page.on('console', (m) => { if (m.type() === 'log' && m.text().startsWith('{')) console.log(m.text().replace(/}$/, `,"loadavg":${JSON.stringify(os.loadavg().map((x) => +x.toFixed(2)))}}`)); });
  await page.goto(server.url);
  const version = `${await browser.version()}${process.env.ASL_BENCH_JS_FLAGS ? ` ${process.env.ASL_BENCH_JS_FLAGS}` : ''}`;
  await page.evaluate(async ({ runs, warmup, names, version }) => {
    const { default: init, StateMachine: Machine } = await import('/asl/asl_wasm.js');
    await init();
    const { StateMachine } = await import('/peer.js');
    const { benchWorkloads, JSONATA, WORKLOADS } = await import('/workloads.mjs');
    const ALL = [...WORKLOADS, ...Object.keys(JSONATA)];
    const meta = await (await fetch('/workloads/meta.json')).json();
    const files = {};
    for (const n of names.length ? names : ALL) {
      if (!ALL.includes(n)) continue;
      const get = (ext) => fetch(`/workloads/${n}.${ext}`).then((r) => r.text());
      files[n] = { text: await get('asl.json'), input: JSON.parse(await get('input.json')), expected: JSON.parse(await get('expected.json')), meta: meta[n] };
    }
    await benchWorkloads({
      Machine, StateMachine, data: (n) => files[n], names: Object.keys(files), runs, warmup,
      env: `chromium ${version}`, log: (r) => console.log(JSON.stringify(r)),
    });
  }, { runs, warmup, names, version });
} finally {
  await browser.close();
  await server.close();
  rmSync(root, { recursive: true, force: true });
}
