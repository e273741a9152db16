// Builds of the JS API side by side in one Node process, ours alone, runs alternating between
// them: for before/after figures of a change on a loaded machine (benches/README.md, §6).
//   node --no-liftoff ab.mjs KIT_DIR MODE N WORKLOAD ASL_WASM_NODE_DIR...
// MODE: `withMocks` (mocks given once), `declined` (withMocks and an onTask that declines every
// task: the request's crossing alone), `onTask` (a JS function answering every task) or
// `complete` (run, answer each paused task with completeTask, run again), for the
// task workloads; `run` for the others (pass-loop-* as EXPRESS, as workloads.mjs runs them). KIT_DIR
// as for node.mjs. Prints per build the wall time of a run (start, run to the end, eventCount,
// free) and its CPU time (process.cpuUsage: user + system, all threads). On 2 cores shared by
// other builds (load 10+) a run of a few ms is often descheduled, so the wall-time median says
// more about the machine than about the code; the CPU time does not count time spent waiting.
// AB_RECORD=1: each run also has its history recorded (`seek` to its last event), for what a
// build that records the history when first asked for costs a caller who then reads it.
// AB_COLD=1: before each timed run, a run of the peer and 30 ms asleep, as the harness times
// ours (`workloads.mjs`): a cold start, as in the table (benches/README.md, §16 and §17).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { abRun, peerRunner } from './workloads.mjs';

const [kit, mode, n, name, ...dirs] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const wl = path.resolve(kit, 'workloads');
const text = readFileSync(path.join(wl, `${name}.asl.json`), 'utf8');
const input = JSON.parse(readFileSync(path.join(wl, `${name}.input.json`), 'utf8'));
const meta = JSON.parse(readFileSync(path.join(wl, 'meta.json'), 'utf8'))[name];

const builds = dirs.map((dir) => {
  const { StateMachine } = require(path.resolve(dir, 'asl_wasm.js'));
  const run = abRun(StateMachine, { mode, name, text, input, meta, label: dir, record: process.env.AB_RECORD === '1' });
  return { dir, run, wall: [], cpu: [] };
});
for (let i = 0; i < 5; i++) for (const b of builds) b.run();
const cold = process.env.AB_COLD === '1';
// The JSONata workloads have no peer run here (their peer's figures are fixed, workloads.mjs).
if (cold && name.startsWith('jsonata-')) throw new Error('AB_COLD needs a workload the peer runs');
let before;
if (cold) {
  const { StateMachine: Peer } = await import(path.resolve(kit, 'node_modules/aws-local-stepfunctions/build/main.node.esm.js'));
  const peer = peerRunner(Peer, JSON.parse(text), input, meta);
  before = async () => { await peer(); await new Promise((resolve) => setTimeout(resolve, 30)); };
}
for (let i = 0; i < +n; i++) {
  for (const b of builds) {
    if (cold) await before();
    const c = process.cpuUsage();
    const t = performance.now();
    b.run();
    b.wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    b.cpu.push((d.user + d.system) / 1000);
  }
}
const at = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return +s[Math.floor(q * (s.length - 1))].toFixed(3); };
for (const b of builds) {
  console.log(JSON.stringify({
    build: b.dir, workload: name, mode, runs: +n, v8_flags: process.execArgv.join(' '),
    wall_min_ms: at(b.wall, 0), wall_median_ms: at(b.wall, 0.5), cpu_min_ms: at(b.cpu, 0), cpu_median_ms: at(b.cpu, 0.5),
  }));
}
