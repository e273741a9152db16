// One way of answering tasks, ours alone, N runs right after loading: the driver for profiles
// (`node --cpu-prof`) and for the first runs' speed (V8's wasm tier-up), see benches/README.md.
//   node [--no-liftoff] [--cpu-prof] profile.mjs ASL_WASM_NODE_DIR KIT_DIR MODE [N=30] [WORKLOAD=task-heavy]
// MODE: `mocks` (the mocks in every start's options), `withMocks` (given once), `onTask` (a JS
// function answering from inside the run), `declined` (withMocks and an onTask that declines
// every task: the request's crossing alone) or `complete` (run, answer each paused task, run),
// for task-heavy or task-flaky; `run` for a workload without tasks (pass-loop-* as EXPRESS).
// KIT_DIR as for node.mjs (scripts/bench prepares target/bench-kit). Prints the median and min
// (ms) of start, run (to the end) and free.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { completeTasks, onTaskFor, taskAnswers, taskMocks } from './workloads.mjs';

const [wasmDir, kit, mode, n = '30', name = 'task-heavy'] = process.argv.slice(2);
const { StateMachine } = createRequire(import.meta.url)(path.resolve(wasmDir, 'asl_wasm.js'));
const wl = path.resolve(kit, 'workloads');
const text = readFileSync(path.join(wl, `${name}.asl.json`), 'utf8');
const input = JSON.parse(readFileSync(path.join(wl, `${name}.input.json`), 'utf8'));
const flaky = name === 'task-flaky';
const mocks = taskMocks(JSON.parse(text), flaky);
const passLoop = name.includes('pass-loop');
const meta = JSON.parse(readFileSync(path.join(wl, 'meta.json'), 'utf8'))[name];

const machine = StateMachine.load(text, passLoop ? { type: 'EXPRESS' } : {});
const mocked = mode === 'withMocks' || mode === 'declined' ? machine.withMocks(mocks) : null;
const start = {
  mocks: () => machine.start(input, { mocks }),
  withMocks: () => mocked.start(input),
  declined: () => mocked.start(input, { onTask: () => undefined }),
  onTask: () => machine.start(input, { onTask: onTaskFor(name, flaky) }),
  complete: () => machine.start(input),
  run: () => machine.start(input, passLoop ? { maxTransitions: meta.transitions + 10 } : {}),
}[mode];
if (!start) throw new Error(`MODE is mocks, withMocks, onTask, declined, complete or run, not ${mode}`);
const drive = (ex) => completeTasks(ex, taskAnswers(flaky));

const times = { start: [], run: [], free: [] };
for (let i = 0; i < +n; i++) {
  let t = performance.now();
  const ex = start();
  times.start.push(performance.now() - t);
  t = performance.now();
  const st = drive(ex);
  times.run.push(performance.now() - t);
  if (st.status !== 'SUCCEEDED') throw new Error(`${name} ${mode}: ${st.status} ${st.error ?? ''}`);
  t = performance.now();
  ex.free();
  times.free.push(performance.now() - t);
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
console.log(JSON.stringify({
  workload: name, mode, runs: +n, v8_flags: process.execArgv.join(' '),
  ...Object.fromEntries(Object.entries(times).flatMap(([k, v]) => [[`${k}_median_ms`, +median(v).toFixed(3)], [`${k}_min_ms`, +Math.min(...v).toFixed(3)]])),
}));
