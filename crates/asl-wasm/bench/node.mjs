// The JS API (asl-wasm's Node build) beside aws-local-stepfunctions, in one Node process.
//   node node.mjs ASL_WASM_NODE_DIR KIT_DIR [--runs N] [--warmup N] [WORKLOAD...]
// KIT_DIR holds the shared bench kit with `workloads/` generated and the peer in node_modules
// (scripts/bench prepares it). Prints one JSON line per workload and way of answering tasks.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { kitData } from './kit.mjs';
import { benchWorkloads, JSONATA, WORKLOADS } from './workloads.mjs';

const [wasmDir, kit, ...rest] = process.argv.slice(2);
let runs = 5, warmup = 1; const names = [];
for (let i = 0; i < rest.length; i++) {
  if (rest[i] === '--runs') runs = +rest[++i];
  else if (rest[i] === '--warmup') warmup = +rest[++i];
  else names.push(rest[i]);
}
const require = createRequire(import.meta.url);
const { StateMachine: Machine } = require(path.resolve(wasmDir, 'asl_wasm.js'));
const { StateMachine } = await import(path.resolve(kit, 'node_modules/aws-local-stepfunctions/build/main.node.esm.js'));
const data = kitData(kit);
// The process's CPU time (getrusage: all threads, up to date when read) and its main thread's
// time waiting in the run queue (/proc/…/schedstat, Linux with schedstats; its time on a CPU
// there is updated only at scheduler ticks, too coarse for a 1 ms run).
const stat = `/proc/${process.pid}/task/${process.pid}/schedstat`;
const sched = existsSync(stat) ? () => {
  const c = process.cpuUsage();
  return [(c.user + c.system) / 1000, readFileSync(stat, 'utf8').split(' ')[1] / 1e6];
} : undefined;
await benchWorkloads({
  Machine, StateMachine, data, runs, warmup, sched, env: [`node ${process.version}`, ...process.execArgv].join(' '),
  names: (names.length ? names : [...WORKLOADS, ...Object.keys(JSONATA)]).filter((n) => WORKLOADS.includes(n) || n in JSONATA),
  log: (r) => console.log(JSON.stringify({ ...r, loadavg: os.loadavg().map((x) => +x.toFixed(2)) })),
});
