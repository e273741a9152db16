// Where a machine lands in the wasm heap, and what it does to its runs: the table's workloads run
// first in one copy of the JS API (as `scripts/bench` runs them before task-flaky), then one
// machine is loaded into that copy ("used") and into a second copy that ran nothing ("fresh"),
// and its runs alternate between the two, each after a run of the peer and 30 ms asleep, as the
// harness times them (benches/README.md, "On the host of 15:30 UTC" and §15).
//   node --no-liftoff placement.mjs KIT_DIR USED_DIR FRESH_DIR [WORKLOAD=task-flaky] [N=21] [BEFORE=…]
// USED_DIR and FRESH_DIR: two copies of one asl-wasm Node package (`cp -r target/asl-wasm-node
// …`: Node loads a package once, so one instance per directory). BEFORE: the workloads run
// first, comma-separated (default pass-loop-10k,pass-loop-100k,parallel-nested,task-heavy;
// `none` for none). WORKLOAD: a task workload, answered by mocks given once (`withMocks`).
// Prints the median wall time of a run (start, run to the end, eventCount, free) in each copy, ms.
import { createRequire } from 'node:module';
import path from 'node:path';
import { kitData } from './kit.mjs';
import { abRun, benchWorkloads, median, peerRunner } from './workloads.mjs';

const [kit, usedDir, freshDir, name = 'task-flaky', n = '21', before = 'pass-loop-10k,pass-loop-100k,parallel-nested,task-heavy'] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const Used = require(path.resolve(usedDir, 'asl_wasm.js')).StateMachine;
const Fresh = require(path.resolve(freshDir, 'asl_wasm.js')).StateMachine;
if (Used === Fresh) throw new Error('USED_DIR and FRESH_DIR must be two copies of the package');
const { StateMachine: Peer } = await import(path.resolve(kit, 'node_modules/aws-local-stepfunctions/build/main.node.esm.js'));
const data = kitData(kit);
if (before !== 'none') {
  await benchWorkloads({ Machine: Used, StateMachine: Peer, data, runs: 7, warmup: 2, names: before.split(',') });
}

const { text, input, meta: m } = data(name);
const runner = (StateMachine, label) => abRun(StateMachine, { mode: 'withMocks', name, text, input, meta: m, label });
const copies = [{ label: 'used', run: runner(Used, 'used'), ms: [] }, { label: 'fresh', run: runner(Fresh, 'fresh'), ms: [] }];
// The peer as the harness runs it.
const peerRun = peerRunner(Peer, JSON.parse(text), input, m);
const sleep = () => new Promise((resolve) => setTimeout(resolve, 30));
for (let i = 0; i < 3; i++) for (const c of copies) { c.run(); await peerRun(); }
for (let i = 0; i < +n; i++) {
  // Alternating which copy goes first.
  for (const c of i % 2 ? copies : [...copies].reverse()) {
    await peerRun();
    await sleep();
    const t = performance.now();
    c.run();
    c.ms.push(performance.now() - t);
  }
}
console.log(JSON.stringify({ workload: name, before, runs: +n, ...Object.fromEntries(copies.map((c) => [`${c.label}_ms`, +median(c.ms).toFixed(3)])) }));
