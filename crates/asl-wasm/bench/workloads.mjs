// The JS API (asl-wasm) and the peer (aws-local-stepfunctions) on the shared workloads, side by
// side in one JS engine: runs alternate ours/peer so load on the machine hits both alike. Used by
// `node.mjs` (Node) and `chromium.mjs` (headless Chromium); this file touches no Node or DOM API.
//
// Ours is the public API as a page uses it: the definition loaded once (`StateMachine.load`, as the
// peer's `new StateMachine(def)` is constructed once, outside the timing), then per run
// `machine.start(input, options).run()`, history and stages recorded (the default), limits as
// AWS's, except where noted:
// - pass-loop-* (JSONata's too) run as EXPRESS (no 25,000-event history limit) with `maxTransitions` raised;
// - map-wide-10k's input is ~900 KB, over AWS's 256 KiB limit in either type: skipped;
// - tasks are answered three ways: `mocks` (the per-state answers as native mocks, the playground's
//   path, given once to `machine.withMocks` outside the timing, as the machine is loaded once),
//   `onTask` (a JS function computing the kit's mockResult from each task's parameters, called
//   from inside the run: the peer's callback model, its `taskResourceLocalHandlers`), and
//   `complete` (the same answers given to paused tasks with `completeTask`, the step-by-step way).
// The peer runs as the kit's bench-als.mjs runs it: constructed once, every task answered by a
// `taskResourceLocalHandlers` callback, waits and retry intervals zeroed.

export const WORKLOADS = ['pass-loop-10k', 'pass-loop-100k', 'parallel-nested', 'task-heavy', 'task-flaky', 'payload-200k'];

// The JSONata workloads: their peer, sfn-sim 1.5.0, is served by no registry, so its medians with
// its compile cache come from ../shared/bench/README.md (ms) instead of a run beside ours.
export const JSONATA = { 'jsonata-pass-loop-10k': 82, 'jsonata-map-1k': 93, 'jsonata-transform': 420, 'jsonata-task-heavy': 54 };

// Before each timed run, either side (beside a peer that runs: not for the JSONata rows, see
// benchWorkloads): 30 ms idle, so the background work the other side's run left
// (presumably V8's concurrent marking and sweeping) is done before the clock starts: without it a
// run of ours right after the peer's allocation-heavy run was often slowed by it (task-heavy with
// mocks: ~2 ms or 6-13 ms, two modes; with the pause ~2 ms; benches/README.md, "How the JS API is
// driven"). A forced gc() instead made the peer 2-3x slower (its heap shrunk, then grown again
// inside its run), so it is not used.
const pause = () => new Promise((resolve) => setTimeout(resolve, 30));
export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const mockResult = (input) => ({ value: (input?.last?.value ?? 0) + 1, status: 'ok', payload: { a: 1, b: [1, 2, 3] } });

/**
 * A task workload's answers as native mocks: state i (in order) returns mockResult with value
 * i + 1, as the chain computes; when flaky, each state's first attempt fails.
 */
export function taskMocks(def, flaky) {
  const mocks = {};
  Object.keys(def.States).forEach((s, i) => {
    if (!s.startsWith('T')) return;
    const ret = { Return: { value: i + 1, status: 'ok', payload: { a: 1, b: [1, 2, 3] } } };
    mocks[s] = flaky ? { 0: { Throw: { Error: 'Lambda.ServiceException', Cause: 'transient failure' } }, 1: ret } : ret;
  });
  return mocks;
}

/**
 * The peer's handler for one task, as peerRunner's, for one run (its own record of the states that
 * failed once): mockResult of the parameters; when flaky, each state's first attempt fails.
 */
export function taskAnswers(flaky) {
  const failed = new Set();
  return (t) => {
    if (flaky && !failed.has(t.state)) {
      failed.add(t.state);
      return { error: 'Lambda.ServiceException', cause: 'transient failure' };
    }
    return { output: mockResult(t.parameters) };
  };
}

/**
 * jsonata-task-heavy's handler, as the peer's in-process Lambda (sfn-sim `resources`, given
 * `Arguments.Payload`, its return wrapped as lambda:invoke does): mockResult of the payload.
 */
export const jsonataOnTask = (t) => ({ output: { Payload: mockResult(t.parameters?.Payload), StatusCode: 200 } });

/** The `onTask` handler for one run of workload `name` (made per run, as the peer's harness does). */
export const onTaskFor = (name, flaky) => (name === 'jsonata-task-heavy' ? jsonataOnTask : taskAnswers(flaky));

/**
 * One A/B run of a build (ab.mjs in Node, tests/browser/js-api-ab.mjs in Chromium): `StateMachine`
 * from the build, the workload's `name`, definition `text` and `input`, its `meta` entry; MODE
 * `withMocks` (mocks given once), `declined` (withMocks and an onTask that declines every task),
 * `onTask` (a JS function answering every task) or `run` (pass-loop-* as EXPRESS). The run
 * starts, runs to its end (an error unless it succeeded, naming `label`), counts its events and
 * is freed.
 */
export function abRun(StateMachine, { mode, name, text, input, meta, label, record = false }) {
  const flaky = name === 'task-flaky';
  const passLoop = name.includes('pass-loop');
  const base = passLoop ? { maxTransitions: meta.transitions + 10 } : {};
  const machine = StateMachine.load(text, passLoop ? { type: 'EXPRESS' } : {});
  const mocked = machine.withMocks(taskMocks(JSON.parse(text), flaky));
  const start = {
    withMocks: () => mocked.start(input),
    declined: () => mocked.start(input, { onTask: () => undefined }),
    onTask: () => machine.start(input, { onTask: onTaskFor(name, flaky) }),
    run: () => machine.start(input, base),
    complete: () => machine.start(input, base),
  }[mode];
  if (!start) throw new Error(`MODE is withMocks, declined, onTask, complete or run, not ${mode}`);
  return () => {
    const ex = start();
    const st = mode === 'complete' ? completeTasks(ex, taskAnswers(flaky)) : ex.run();
    if (st.status !== 'SUCCEEDED') throw new Error(`${label}: ${st.status} ${st.error ?? ''}`);
    // With `record`, the history is made as a reader of it would have it (a build that records
    // it when first asked for replays the run here; one that recorded it already does nothing).
    if (record && !ex.seek(ex.eventCount())) throw new Error(`${label}: seek`);
    ex.eventCount();
    ex.free();
  };
}

/** Runs `ex` to its end, answering each paused task with `answer` through `completeTask`. */
export function completeTasks(ex, answer) {
  for (;;) {
    const st = ex.run();
    if (st.status !== 'PAUSED') return st;
    for (const t of st.tasks) ex.completeTask(t.token, answer(t));
  }
}

function deepEqual(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
}

function* allStates(def) {
  for (const [name, st] of Object.entries(def.States)) {
    yield [name, st];
    const sub = st.ItemProcessor ?? st.Iterator;
    if (sub) yield* allStates(sub);
    if (st.Branches) for (const b of st.Branches) yield* allStates(b);
  }
}

/** How our machine is loaded for one workload. */
const loadOptions = (name) => (name.includes('pass-loop') ? { type: 'EXPRESS' } : {});

/**
 * The ways our API is driven for one workload: [{tasks, options(), drive, machine?}]. `options()`
 * is called per run (inside the timing), as the peer's harness builds its handlers per run.
 */
function ourModes(name, def, meta, machine) {
  const base = name.includes('pass-loop') ? { maxTransitions: meta.transitions + 10 } : {};
  const run = (ex) => ex.run();
  if (name === 'jsonata-task-heavy') {
    return [{ tasks: 'onTask', options: () => ({ ...base, onTask: jsonataOnTask }), drive: run }];
  }
  if (!name.startsWith('task-')) return [{ tasks: '-', options: () => base, drive: run }];
  return [
    { tasks: 'mocks', machine: machine.withMocks(taskMocks(def, meta.flaky)), options: () => base, drive: run },
    { tasks: 'onTask', options: () => ({ ...base, onTask: taskAnswers(meta.flaky) }), drive: run },
    { tasks: 'complete', options: () => base, drive: (ex) => completeTasks(ex, taskAnswers(meta.flaky)) },
  ];
}

/**
 * The peer as the kit's bench-als.mjs runs it: constructed once; each call of the returned
 * function is one run (its task handlers made per run, waits and retry intervals zeroed),
 * resolving to the output.
 */
export function peerRunner(StateMachine, def, input, meta) {
  const taskNames = [], waitNames = [], retryNames = [];
  for (const [n, st] of allStates(def)) {
    if (st.Type === 'Task') taskNames.push(n);
    if (st.Type === 'Wait') waitNames.push(n);
    if (st.Retry) retryNames.push(n);
  }
  const sm = new StateMachine(def);
  return async () => {
    const failedOnce = new Set();
    const taskResourceLocalHandlers = {};
    for (const n of taskNames) {
      taskResourceLocalHandlers[n] = async (inp) => {
        if (meta.flaky && !failedOnce.has(n)) { failedOnce.add(n); throw new Error('transient failure'); }
        return mockResult(inp);
      };
    }
    const overrides = {
      taskResourceLocalHandlers,
      waitTimeOverrides: Object.fromEntries(waitNames.map((n) => [n, 0])),
      retryIntervalOverrides: Object.fromEntries(retryNames.map((n) => [n, 0])),
    };
    return sm.run(input, { overrides }).result;
  };
}

/**
 * Runs every workload; `data(name)` → {text, input, expected, meta}. Returns one record per
 * workload and way of answering tasks: {workload, tasks, ours_ms, peer_ms, ratio, correct, …}.
 * `sched` (optional; node.mjs gives one, a page cannot): () → [CPU ms of the process, ms its
 * main thread waited for a CPU] so far, read around each timed run, so that a run's wall time can
 * be told apart into work and time the scheduler kept the thread off a CPU (on this shared
 * 2-core machine most of the spread between runs; benches/README.md, §7).
 */
export async function benchWorkloads({ Machine, StateMachine, data, names = WORKLOADS, runs = 5, warmup = 1, env, sched, log = () => {} }) {
  const out = [];
  for (const name of names) {
    const { text, input, expected, meta } = data(name);
    const def = JSON.parse(text);
    const fixed = JSONATA[name];
    const peer = fixed ? async () => expected : peerRunner(StateMachine, def, input, meta);
    const machine = Machine.load(text, loadOptions(name));
    for (const mode of ourModes(name, def, meta, machine)) {
      const m = mode.machine ?? machine;
      const ours = () => {
        const ex = m.start(input, mode.options());
        const st = mode.drive(ex);
        const events = ex.eventCount();
        ex.free();
        return { st, events };
      };
      let ourLast, peerLast;
      for (let i = 0; i < warmup; i++) { ours(); await peer(); }
      const ourTimes = [], peerTimes = [], ourSched = [], peerSched = [];
      const since = (s0) => { const s1 = sched(); return [s1[0] - s0[0], s1[1] - s0[1]]; };
      const timeOurs = () => {
        const s0 = sched?.();
        const t = performance.now();
        ourLast = ours();
        ourTimes.push(performance.now() - t);
        if (s0) ourSched.push(since(s0));
      };
      // Against a fixed figure (the JSONata rows) no peer runs beside ours. The figure was
      // recorded back to back after a warm-up (../shared/bench/bench-jsonata-peer.mjs), so ours
      // is timed the same way; the pause is for the other side's leftover work, and here there
      // is none. Ours after the pause is kept beside it (`ours_after_idle_ms`): on this host a
      // run after idling is far slower (benches/README.md, "A run after idling").
      const afterIdle = [];
      if (fixed) {
        for (let i = 0; i < runs; i++) timeOurs();
        for (let i = 0; i < runs; i++) {
          await pause();
          const t = performance.now();
          ours();
          afterIdle.push(performance.now() - t);
        }
        peerLast = expected;
      } else {
        for (let i = 0; i < runs; i++) {
          await pause();
          timeOurs();
          await pause();
          const s0 = sched?.();
          const t = performance.now();
          peerLast = await peer();
          peerTimes.push(performance.now() - t);
          if (s0) peerSched.push(since(s0));
        }
      }
      const ok = ourLast.st.status === 'SUCCEEDED' && deepEqual(ourLast.st.output, expected);
      const peerOk = deepEqual(peerLast, expected);
      const peerMs = fixed ?? median(peerTimes);
      const rec = {
        env, workload: name, tasks: mode.tasks, transitions: meta.transitions, events: ourLast.events,
        ours_ms: +median(ourTimes).toFixed(3), peer_ms: +peerMs.toFixed(3),
        peer: fixed ? 'sfn-sim@1.5.0 cached (README figure)' : 'aws-local-stepfunctions@3.0.0',
        ours_runs_ms: ourTimes.map((t) => +t.toFixed(2)),
        ratio: +(peerMs / median(ourTimes)).toFixed(1),
        correct: ok, peer_correct: peerOk,
      };
      if (fixed) rec.ours_after_idle_ms = +median(afterIdle).toFixed(3);
      if (sched) {
        // Medians per run, each side: CPU time (all threads) and the main thread's wait for a CPU.
        const med = (xs, k) => +median(xs.map((x) => x[k])).toFixed(3);
        Object.assign(rec, {
          ours_cpu_ms: med(ourSched, 0), ours_waiting_ms: med(ourSched, 1),
          peer_cpu_ms: fixed ? undefined : med(peerSched, 0), peer_waiting_ms: fixed ? undefined : med(peerSched, 1),
          ours_runs_cpu_ms: ourSched.map((x) => +x[0].toFixed(2)), ours_runs_waiting_ms: ourSched.map((x) => +x[1].toFixed(2)),
        });
      }
      if (!ok) rec.status = ourLast.st.status === 'SUCCEEDED' ? 'wrong output' : `${ourLast.st.status} ${ourLast.st.error ?? ''} ${ourLast.st.cause ?? ''}`.slice(0, 200);
      log(rec);
      out.push(rec);
      mode.machine?.free();
    }
    machine.free();
  }
  return out;
}
