// What comes just before a timed run of ours does to it: the same run (start, run to the end,
// eventCount, free) right after the previous one, after 30 ms asleep (the harness's `pause`),
// after 30 ms spinning, after a run of the peer followed by either, and right after writing over
// 64 MB (the data caches emptied, nothing else); modes alternate, one Node process, ours alone
// timed (benches/README.md, "The JS API", §7, §16).
//   node --no-liftoff idle.mjs ASL_WASM_NODE_DIR KIT_DIR [WORKLOAD=task-heavy] [N=20]
// WORKLOAD: a task workload (answered by mocks given once, `withMocks`) or one without tasks.
// Prints per mode the medians of wall time, CPU time (process.cpuUsage) and the main thread's
// wait for a CPU (/proc/…/schedstat), ms.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { kitData } from './kit.mjs';
import { peerRunner, taskMocks } from './workloads.mjs';

const [dir, kit, name = 'task-heavy', n = '20'] = process.argv.slice(2);
const { StateMachine } = createRequire(import.meta.url)(path.resolve(dir, 'asl_wasm.js'));
const { StateMachine: Peer } = await import(path.resolve(kit, 'node_modules/aws-local-stepfunctions/build/main.node.esm.js'));
const { text, input, meta } = kitData(kit)(name);
const def = JSON.parse(text);
const passLoop = name.includes('pass-loop');
const loaded = StateMachine.load(text, passLoop ? { type: 'EXPRESS' } : {});
const machine = name.startsWith('task-') ? loaded.withMocks(taskMocks(def, meta.flaky)) : loaded;
const options = passLoop ? { maxTransitions: meta.transitions + 10 } : {};
const ours = () => {
  const ex = machine.start(input, options);
  const st = ex.run();
  if (st.status !== 'SUCCEEDED') throw new Error(`${name}: ${st.status} ${st.error ?? ''}`);
  ex.eventCount();
  ex.free();
};
// The peer as the harness runs it.
const peerRun = peerRunner(Peer, def, input, meta);
const sleep = () => new Promise((resolve) => setTimeout(resolve, 30));
const spin = () => { const end = performance.now() + 30; while (performance.now() < end); };
const junk = new Uint8Array(64 << 20);
const stat = `/proc/${process.pid}/task/${process.pid}/schedstat`;
const waited = () => readFileSync(stat, 'utf8').split(' ')[1] / 1e6;
const modes = {
  'right after': async () => {},
  'asleep 30 ms': sleep,
  'spinning 30 ms': async () => spin(),
  'peer, asleep': async () => { await peerRun(); await sleep(); },
  'peer, spinning': async () => { await peerRun(); spin(); },
  // The data caches emptied, nothing else disturbed: how much of a cold start is data.
  'writing 64 MB': async () => { for (let i = 0; i < junk.length; i += 64) junk[i]++; },
};
const res = Object.fromEntries(Object.keys(modes).map((k) => [k, { wall: [], cpu: [], wait: [] }]));
for (let i = 0; i < 3; i++) { ours(); await peerRun(); }
for (let i = 0; i < +n; i++) {
  for (const [mode, before] of Object.entries(modes)) {
    await before();
    const w = waited(), c = process.cpuUsage(), t = performance.now();
    ours();
    res[mode].wall.push(performance.now() - t);
    const d = process.cpuUsage(c);
    res[mode].cpu.push((d.user + d.system) / 1000);
    res[mode].wait.push(waited() - w);
  }
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return +s[s.length >> 1].toFixed(3); };
for (const [mode, r] of Object.entries(res)) {
  console.log(JSON.stringify({ workload: name, before: mode, runs: +n, wall_median_ms: median(r.wall), cpu_median_ms: median(r.cpu), waiting_median_ms: median(r.wait) }));
}
