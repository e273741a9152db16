// The JS API for executions recorded on AWS: importHistory (a Replay), mocksFromHistory,
// compareHistory, toMockConfig and the exporters, on the CLI's recorded fixtures
// (crates/asl-cli/tests/recorded: get-execution-history output, LocalStack cases).
// Run by ../../test.sh, which builds the package and points ASL_WASM_NODE at it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

const pkg = process.env.ASL_WASM_NODE;
if (!pkg) throw new Error("set ASL_WASM_NODE to the wasm-bindgen --target nodejs output (see test.sh)");
const { Execution, importHistory, mocksFromHistory, compareHistory, toMockConfig } =
  createRequire(import.meta.url)(`${pkg}/asl_wasm.js`);

const fixture = (name) =>
  readFileSync(new URL(`../../../asl-cli/tests/recorded/${name}`, import.meta.url), "utf8");
const CHARGE = fixture("charge.asl.json");
const CHARGE_HISTORY = fixture("charge.history.json");
const CHARGE_DESCRIBE = fixture("charge.describe.json");
const RETRY = fixture("lambda-retry-caught.asl.json");
const RETRY_CASE = fixture("lambda-retry-caught.case.json");

test("importHistory: a Replay steps, seeks and shows the overlay and visits", () => {
  const r = importHistory(CHARGE, CHARGE_HISTORY, { describe: CHARGE_DESCRIBE });
  assert.equal(r.isRecorded, true);
  const info = r.info();
  assert.equal(info.shape, "getExecutionHistory");
  assert.equal(info.status, "SUCCEEDED");
  assert.equal(info.executionArn, "arn:aws:states:eu-west-1:210987654321:execution:Payments:run-42");
  assert.deepEqual(info.input, { n: 1 });
  assert.equal(r.eventCount(), 0);
  assert.equal(r.recordedCount(), 10);
  assert.equal(r.step().type, "ExecutionStarted");
  assert.deepEqual(r.stepState(), { stop: "hit", event: 2 });
  assert.deepEqual(r.position().map((p) => p.path), ["Charge"]);
  assert.equal(r.status().status, "RUNNING");
  r.setBreakpoints({ errors: ["Lambda.ServiceException"] });
  assert.deepEqual(r.runToBreakpoint(), { stop: "hit", event: 5 });
  assert.equal(r.overlay().states[0].mark, "failed");
  assert.deepEqual(r.run(), { status: "SUCCEEDED", output: { ok: true } });
  assert.equal(r.step(), null);
  const o = r.overlay();
  assert.deepEqual(o.states, [{ path: "Charge", mark: "succeeded", visits: 1, retries: 1 }]);
  assert.equal(o.elapsedMs, 1920);
  const [visit] = r.visits("Charge");
  assert.equal(visit.attempts.length, 2);
  assert.equal(visit.attempts[0].retryIndex, 0);
  assert.deepEqual(visit.attempts[1].result, { StatusCode: 200, Payload: { ok: true } });
  assert.deepEqual(r.visitOfEvent(5), { path: "Charge", index: 0 });
  assert.equal(r.history().at(-1).statePath, undefined);
  assert.equal(r.history()[4].statePath, "Charge");
  assert.equal(r.back(), true);
  assert.equal(r.seek(0), true);
  assert.equal(r.seek(11), false);
  assert.deepEqual(r.pending(), []);
  // What the recorded run costs: one state entered and one retry, billed as Standard.
  r.run();
  const bill = r.cost({ executionsPerMonth: 1000 });
  assert.equal(bill.usage.execution.billedTransitions, 2);
  assert.equal(bill.usage.execution.retries, 1);
  // Objects work as well as text.
  const again = importHistory(CHARGE, JSON.parse(CHARGE_HISTORY));
  assert.equal(again.recordedCount(), 10);
});

test("importHistory: malformed histories throw with importError at line and UTF-16 column", () => {
  assert.throws(
    () => importHistory(CHARGE, '{"events": [\n {"id": 1, "timestamp": 0, "type": "Nope"}]}'),
    (e) => {
      assert.deepEqual(e.importError, {
        kind: "unknownEventType", message: '"Nope" is not a Step Functions history event type',
        document: "history", line: 2, column: 36,
      });
      return true;
    },
  );
  assert.throws(() => importHistory(CHARGE, CHARGE_HISTORY, { describe: "{" }), (e) => e.importError.document === "describe");
  assert.throws(() => importHistory("{", CHARGE_HISTORY), (e) => Array.isArray(e.diagnostics));
  assert.throws(() => importHistory(CHARGE, CHARGE_HISTORY, { describ: "" }), /unknown option "describ"/);
});

test("mocksFromHistory: native mocks and a MockConfigFile that Execution.start reads", () => {
  const native = mocksFromHistory(RETRY, RETRY_CASE);
  assert.deepEqual(Object.keys(native.States.InvokeLambdaWithRetry), ["0", "1", "2", "3"]);
  const config = mocksFromHistory(CHARGE, CHARGE_HISTORY, { describe: CHARGE_DESCRIBE, format: "mock-config" });
  assert.equal(config.StateMachines.Payments.TestCases.Recorded.Charge, "Charge");
  const run = Execution.start(CHARGE, { n: 1 }, { mocks: config, testCase: "Recorded" });
  assert.deepEqual(run.run(), { status: "SUCCEEDED", output: { ok: true } });
  assert.throws(() => mocksFromHistory(CHARGE, CHARGE_HISTORY, { format: "yaml" }), /"format" is "native" or "mock-config"/);
});

test("compareHistory: zero divergence with derived mocks; the first divergence otherwise", () => {
  const clean = compareHistory(RETRY, RETRY_CASE);
  assert.equal(clean.divergence, null);
  assert.equal(clean.matchedEvents, 18);
  assert.equal(clean.recordedStatus, "SUCCEEDED");
  const r = importHistory(CHARGE, CHARGE_HISTORY, { describe: CHARGE_DESCRIBE });
  assert.equal(r.compare().divergence, null);
  const d = r.compare({ Charge: { Return: { StatusCode: 200, Payload: { ok: false } } } }).divergence;
  assert.equal(d.kind, "type");
  assert.equal(d.recordedEvent, 5);
  assert.equal(d.path, "Charge");
  assert.equal(d.recorded, "TaskFailed");
  assert.equal(d.simulated, "TaskSucceeded");
});

test("exporters: history JSON round-trips, mocks as MockConfigFile, sessions as asl test cases", () => {
  const run = Execution.start(CHARGE, { n: 1 }, {
    mocks: { Charge: { "0": { Throw: { Error: "Lambda.ServiceException", Cause: "busy" } }, "1": { Return: { Payload: { ok: true } } } } },
  });
  assert.equal(run.isRecorded, false);
  assert.throws(() => run.toTestCase(), /has not ended/);
  run.run();
  const exported = run.exportHistory();
  assert.equal(exported.events.length, run.eventCount());
  assert.ok(exported.events.every((e) => e.statePath === undefined));
  const back = importHistory(CHARGE, JSON.stringify(exported));
  assert.deepEqual(back.run(), run.status());
  assert.deepEqual(back.overlay().states, run.overlay().states);
  assert.equal(back.compare().divergence, null);
  const tc = run.toTestCase({ stateMachine: "Payments", testCase: "Retry" });
  assert.deepEqual(tc.expect, { Retry: { status: "SUCCEEDED", output: { ok: true }, input: { n: 1 } } });
  assert.equal(tc.mockConfig.StateMachines.Payments.TestCases.Retry.Charge, "Charge");
  const again = Execution.start(CHARGE, { n: 1 }, { mocks: tc.mockConfig, testCase: "Retry" });
  assert.deepEqual(again.run(), run.status());
  const config = toMockConfig(CHARGE, { Charge: { Return: 1 } }, { stateMachine: "M", testCase: "C" });
  assert.deepEqual(config, {
    StateMachines: { M: { TestCases: { C: { Charge: "Charge" } } } },
    MockedResponses: { Charge: { "0-99999": { Return: 1 } } },
  });
  const replayCase = importHistory(RETRY, RETRY_CASE).toTestCase();
  assert.equal(replayCase.expect.Default.status, "SUCCEEDED");
});
