// The JS API of asl-wasm under Node: validate, render and Execution on real definitions.
// Run by ../../test.sh, which builds the package and points ASL_WASM_NODE at it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const pkg = process.env.ASL_WASM_NODE;
if (!pkg) throw new Error("set ASL_WASM_NODE to the wasm-bindgen --target nodejs output (see test.sh)");
const { validate, render, Execution, StateMachine, lintInfo, fieldDoc, fieldDocAt, encodeShare, decodeShare } = createRequire(import.meta.url)(`${pkg}/asl_wasm.js`);

// Fetch (lambda:invoke, mocked) → Check (Choice) → Approve (unmocked unless given) → Done.
const ORDER = JSON.stringify({
  StartAt: "Fetch",
  States: {
    Fetch: {
      Type: "Task",
      Resource: "arn:aws:states:::lambda:invoke",
      Parameters: { FunctionName: "fetch-order", "Payload.$": "$" },
      ResultSelector: { "total.$": "$.Payload.total" },
      ResultPath: "$.order",
      Next: "Check",
    },
    Check: {
      Type: "Choice",
      Choices: [{ Variable: "$.order.total", NumericGreaterThan: 100, Next: "Approve" }],
      Default: "Done",
    },
    Approve: {
      Type: "Task",
      Resource: "arn:aws:lambda:us-east-1:123456789012:function:approve",
      InputPath: "$.order",
      Next: "Done",
    },
    Done: { Type: "Pass", End: true },
  },
}, null, 2);

const total = (n) => ({ mocks: { Fetch: { Return: { Payload: { total: n }, StatusCode: 200 } } } });

const PLAIN_JSON = { format: "json", template: false, stateMachines: [], logicalId: null, definitionUri: null, substitutions: {}, deployTime: {} };

test("validate: a valid definition is ok with no diagnostics", () => {
  assert.deepEqual(validate(ORDER, { lints: false }), { ok: true, diagnostics: [], placeholders: [], source: PLAIN_JSON });
});

// A YAML definition with template placeholders, as a SAM project keeps it.
const YAML = [
  "StartAt: Process",
  "States:",
  "  Process:",
  "    Type: Task",
  "    Resource: ${ProcessFunctionArn}",
  "    Next: Notify",
  "  Notify:",
  "    Type: Task",
  "    Resource: arn:aws:states:::sns:publish",
  "    Parameters:",
  "      TopicArn: ${TopicArn}",
  "      Message.$: $.message",
  "    End: true",
].join("\n");

test("validate: placeholders are warnings with positions, and substitutions fill them", () => {
  const r = validate(YAML);
  assert.equal(r.ok, true, JSON.stringify(r.diagnostics));
  assert.equal(r.source.format, "yaml");
  assert.deepEqual(
    r.placeholders.map((p) => [p.name, p.pointer, p.whole, p.line, p.column]),
    [["ProcessFunctionArn", "/States/Process/Resource", true, 5, 15], ["TopicArn", "/States/Notify/Parameters/TopicArn", true, 11, 17]],
  );
  assert.deepEqual(r.diagnostics.map((d) => [d.code, d.line, d.column]), [["TEMPLATE_PLACEHOLDER", 5, 15], ["TEMPLATE_PLACEHOLDER", 11, 17]]);
  assert.match(r.diagnostics[0].message, /skipped: INVALID_RESOURCE/);
  // With values, the checks run on them: a bad ARN is an error where the placeholder was.
  const filled = validate(YAML, { substitutions: { ProcessFunctionArn: "not-an-arn", TopicArn: "arn:aws:sns:us-east-1:1:t" } });
  assert.equal(filled.ok, false);
  assert.deepEqual(filled.placeholders, []);
  assert.deepEqual(filled.diagnostics.map((d) => [d.code, d.line, d.column]), [["INVALID_RESOURCE", 5, 15]]);
  assert.throws(() => validate(YAML, { substitutions: ["x"] }), /substitutions/);
  assert.throws(() => validate(YAML, { substitution: {} }), /unknown option "substitution"/);
});

const TEMPLATE = [
  "Resources:",
  "  Fn:",
  "    Type: AWS::Serverless::Function",
  "  First:",
  "    Type: AWS::Serverless::StateMachine",
  "    Properties:",
  "      DefinitionUri: statemachine/first.asl.json",
  "      DefinitionSubstitutions: {Bucket: my-bucket, FnArn: !GetAtt Fn.Arn}",
  "  Second:",
  "    Type: AWS::StepFunctions::StateMachine",
  "    Properties:",
  "      DefinitionString: !Sub |",
  "        {\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Task\", \"Resource\": \"${Fn.Arn}\", \"Next\": \"B\"}}}",
].join("\n");

test("templates: the state machines for a picker, one chosen by logicalId, positions in the template", () => {
  const first = validate(TEMPLATE);
  assert.deepEqual(first.source.stateMachines.map((m) => [m.logicalId, m.resourceType, m.line]), [
    ["First", "AWS::Serverless::StateMachine", 4],
    ["Second", "AWS::StepFunctions::StateMachine", 9],
  ]);
  assert.equal(first.source.logicalId, "First");
  assert.equal(first.source.definitionUri, "statemachine/first.asl.json");
  assert.deepEqual(first.source.substitutions, { Bucket: "my-bucket" });
  assert.deepEqual(first.source.deployTime, { FnArn: "${Fn.Arn}" });
  const second = validate(TEMPLATE, { logicalId: "Second" });
  assert.equal(second.ok, false);
  const d = second.diagnostics.find((d) => d.code === "MISSING_TRANSITION_TARGET");
  assert.deepEqual([d.line, d.column], [13, 92]);
  assert.equal(TEMPLATE.split("\n")[12].slice(91, 94), '"B"');
  assert.deepEqual(second.placeholders.map((p) => [p.name, p.line]), [["Fn.Arn", 13]]);
  const r = render(TEMPLATE.replace('"Next\": \"B\"', '"End\": true'), { logicalId: "Second" });
  assert.ok(r.svg && r.svg.includes("Lambda: ${Fn.Arn}"), JSON.stringify(r.diagnostics));
  assert.equal(validate(TEMPLATE, { logicalId: "Third" }).diagnostics[0].code, "INVALID_TEMPLATE");
});

test("Execution.start needs the placeholders a run depends on", () => {
  const def = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "${Then}"}, "B": {"Type": "Succeed"}}}';
  assert.equal(validate(def).ok, true);
  assert.throws(() => Execution.start(def, {}), (e) => e.diagnostics.some((d) => d.code === "MISSING_TRANSITION_TARGET"));
  const run = Execution.start(def, {}, { substitutions: { Then: "B" } });
  assert.equal(run.run().status, "SUCCEEDED");
});

test("Execution.start takes substitutions too", () => {
  const exec = Execution.start(YAML, { message: "hi" }, {
    substitutions: { TopicArn: "arn:aws:sns:us-east-1:1:t" },
    mocks: { Process: { Return: { message: "hi" } }, Notify: { Return: { MessageId: "m" } } },
  });
  exec.run(1000);
  assert.equal(exec.status().status, "SUCCEEDED");
});

test("validate: lints are warnings with codes, quick fixes, and can be allowed", () => {
  const r = validate(ORDER);
  assert.equal(r.ok, true);
  const lints = r.diagnostics.filter((d) => d.code === "LAMBDA_TRANSIENT_RETRY_MISSING");
  assert.deepEqual(lints.map((d) => [d.pointer, d.severity]), [
    ["/States/Fetch/Resource", "warning"],
    ["/States/Approve/Resource", "warning"],
  ]);
  const fix = lints[0].fix;
  assert.equal(fix.line, fix.endLine);
  assert.equal(fix.column, fix.endColumn); // an insertion
  assert.match(fix.replacement, /Lambda\.ServiceException/);
  // Applying the fix (UTF-16 columns = JS string indexes + 1) silences the lint.
  const lines = ORDER.split("\n");
  const l = lines[fix.line - 1];
  lines[fix.line - 1] = l.slice(0, fix.column - 1) + fix.replacement + l.slice(fix.column - 1);
  const fixed = validate(lines.join("\n"));
  assert.equal(fixed.ok, true, JSON.stringify(fixed.diagnostics));
  assert.deepEqual(fixed.diagnostics.map((d) => d.pointer), ["/States/Approve/Resource"]);
  assert.deepEqual(validate(ORDER, { allow: ["LAMBDA_TRANSIENT_RETRY_MISSING"] }).diagnostics, []);
  assert.throws(() => validate(ORDER, { allow: ["NOPE"] }), /not a lint code/);
  const info = lintInfo();
  assert.ok(info.every((l) => l.docsUrl.startsWith("https://docs.aws.amazon.com/")));
  assert.ok(info.some((l) => l.code === "COST_HOT_SPOT" && l.afterRun));
});

test("validate: EXPRESS rejects .waitForTaskToken with AWS's message", () => {
  const wftt = '{"StartAt":"S","States":{"S":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}}}';
  assert.equal(validate(wftt).ok, true);
  const r = validate(wftt, { type: "EXPRESS" });
  assert.equal(r.ok, false);
  assert.equal(r.diagnostics[0].code, "EXPRESS_UNSUPPORTED_INTEGRATION");
  assert.equal(r.diagnostics[0].message, "Express state machine does not support '.waitForTaskToken' service integration");
  assert.throws(() => validate(wftt, { type: "FAST" }), /FAST/);
});

test("fieldDoc: hovers by JSON pointer", () => {
  const d = fieldDoc(ORDER, "/States/Fetch/ResultPath");
  assert.equal(d.stateType, "Task");
  assert.equal(d.default, '"$"');
  assert.match(d.docsUrl, /^https:\/\/docs\.aws\.amazon\.com\//);
  assert.equal(fieldDoc(ORDER, "/States/Nope"), null);
  const at = fieldDocAt(ORDER, ORDER.indexOf('"ResultSelector"') + 2);
  assert.equal(at.field, "ResultSelector");
  assert.match(fieldDocAt(ORDER, ORDER.indexOf('"Choice"') + 1).doc, /^A Choice state/);
});

test("validate: positions are 1-based lines and UTF-16 columns", () => {
  const text = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Comment": "😀 é", "Type": "Pass", "Next": "Nope"}\n  }\n}';
  const r = validate(text);
  assert.equal(r.ok, false);
  const d = r.diagnostics.find((d) => d.code === "MISSING_TRANSITION_TARGET");
  assert.ok(d, JSON.stringify(r.diagnostics));
  const line = text.split("\n")[3];
  const col = line.indexOf('"Nope"') + 1; // JS indexes are UTF-16 units
  assert.deepEqual(
    { line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, pointer: d.pointer, severity: d.severity },
    { line: 4, column: col, endLine: 4, endColumn: col + '"Nope"'.length, pointer: "/States/A/Next", severity: "error" },
  );
  assert.match(d.message, /Nope/);
});

test("validate: broken JSON and warnings", () => {
  const broken = validate('{"StartAt": "A",\n  "States": {,}}');
  assert.equal(broken.ok, false);
  assert.equal(broken.diagnostics[0].code, "INVALID_JSON_DESCRIPTION");
  assert.equal(broken.diagnostics[0].line, 2);
  // An unreachable state is a warning: still ok.
  const warn = validate('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"B":{"Type":"Pass","End":true}}}');
  assert.equal(warn.ok, true);
  assert.deepEqual(warn.diagnostics.map((d) => [d.code, d.severity]), [["UNREACHABLE_STATE", "warning"]]);
  for (const text of ["", "null", "[]", "\u0000", "{".repeat(10000)]) {
    assert.equal(validate(text).ok, false, JSON.stringify(text.slice(0, 20)));
  }
});

test("render: SVG with a data-state per state, themes, null for invalid", () => {
  const light = render(ORDER);
  assert.deepEqual(light.diagnostics, []);
  assert.match(light.svg, /^<svg/);
  for (const s of ["Fetch", "Check", "Approve", "Done"]) assert.ok(light.svg.includes(`data-state="${s}"`), s);
  const dark = render(ORDER, { theme: "dark", idPrefix: "doc1" });
  assert.notEqual(dark.svg, light.svg);
  assert.ok(dark.svg.includes('id="doc1'), "ids carry the prefix");
  assert.ok(render(ORDER, { theme: "auto" }).svg.includes("prefers-color-scheme"));
  const bad = render('{"StartAt": "X", "States": {}}');
  assert.equal(bad.svg, null, "nothing to draw");
  assert.ok(bad.diagnostics.length > 0);
  // A definition with errors is still drawn, its problems marked.
  const broken = render('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Nowhere"}}}');
  assert.ok(broken.svg.includes('data-state="A"'), "the state is drawn");
  assert.match(broken.svg, /class="[^"]*has-error/);
  assert.match(broken.svg, /asl-edge-dangling/);
  assert.ok(broken.diagnostics.some((d) => d.code === "MISSING_TRANSITION_TARGET"));
  assert.throws(() => render(ORDER, { theme: "blue" }), (e) => e instanceof Error && /"blue"/.test(e.message));
  assert.throws(() => render(ORDER, { colour: "x" }), /unknown option "colour"/);
});

test("run: mocked tasks to SUCCEEDED with the expected output", () => {
  const ex = Execution.start(ORDER, { id: "a1" }, total(42));
  const status = ex.run();
  assert.deepEqual(status, { status: "SUCCEEDED", output: { id: "a1", order: { total: 42 } } });
  const h = ex.history();
  assert.equal(h[0].type, "ExecutionStarted");
  assert.equal(h[0].id, 1);
  assert.equal(h.at(-1).type, "ExecutionSucceeded");
  assert.equal(h[0].timestamp, "2024-01-01T00:00:00.000Z");
  assert.deepEqual(JSON.parse(h.at(-1).executionSucceededEventDetails.output), { id: "a1", order: { total: 42 } });
  assert.ok(h.some((e) => e.type === "TaskScheduled" && e.statePath === "Fetch"));
  assert.ok(!h.some((e) => e.statePath === "Approve"), "42 is not > 100");
  assert.equal(ex.eventCount(), h.length);
  assert.deepEqual(ex.position(), []);
  assert.equal(ex.step(), null, "nothing after the end");
});

test("step, back and seek move through the history", () => {
  const ex = Execution.start(ORDER, { id: "a1" }, { ...total(42), startTime: "2025-06-01T08:00:00Z" });
  const first = ex.step();
  assert.equal(first.type, "ExecutionStarted");
  assert.equal(first.timestamp, "2025-06-01T08:00:00.000Z");
  assert.equal(ex.step().type, "TaskStateEntered");
  assert.deepEqual(ex.position().map((p) => p.state), ["Fetch"]);
  assert.deepEqual(ex.run(1), { status: "RUNNING" }, "a budget of one event");
  assert.equal(ex.eventCount(), 3);
  const end = ex.run();
  const n = ex.history().length;
  assert.equal(ex.back(), true);
  assert.equal(ex.history().length, n - 1);
  assert.equal(ex.status().status, "RUNNING");
  assert.equal(ex.history(n - 3).length, 2, "history(afterId) returns only later events");
  assert.equal(ex.seek(2), true);
  assert.equal(ex.history().length, 2);
  assert.deepEqual(ex.position().map((p) => p.state), ["Fetch"]);
  assert.equal(ex.seek(0), true);
  assert.equal(ex.back(), false, "nothing before the start");
  assert.deepEqual(ex.run(), end, "replaying gives the same run");
  assert.equal(ex.seek(n + 5), false, "never reached");
});

test("an unmocked task pauses; completeTask resumes it", () => {
  const ex = Execution.start(ORDER, { id: "big" }, total(150));
  const paused = ex.run();
  assert.equal(paused.status, "PAUSED");
  assert.equal(paused.tasks.length, 1);
  const [task] = paused.tasks;
  assert.equal(task.state, "Approve");
  assert.equal(task.resource, "arn:aws:lambda:us-east-1:123456789012:function:approve");
  assert.deepEqual(task.parameters, { total: 150 }, "the request after InputPath");
  assert.deepEqual(ex.pending(), paused.tasks);
  assert.deepEqual(ex.position().map((p) => [p.state, p.activity]), [["Approve", "awaitingTask"]]);
  assert.equal(ex.step(), null);
  assert.throws(() => ex.completeTask("no-such-token", { output: 1 }), /no paused task has the token/);
  assert.throws(() => ex.completeTask(task.token, { result: 1 }), /unknown option "result"/);
  ex.completeTask(task.token, { output: { approved: true } });
  assert.deepEqual(ex.run(), { status: "SUCCEEDED", output: { approved: true } });

  const rejected = Execution.start(ORDER, {}, total(150));
  const [t] = rejected.run().tasks;
  rejected.completeTask(t.token, { error: "Approval.Rejected", cause: "over budget" });
  assert.deepEqual(rejected.run(), { status: "FAILED", error: "Approval.Rejected", cause: "over budget" });
});

test("the stepper's views: overlay, visits with stages, breakpoints, stepping by state", () => {
  const ex = Execution.start(ORDER, { id: "big" }, total(150));
  ex.setBreakpoints({ states: ["Check"] });
  assert.deepEqual(ex.breakpoints(), { states: ["Check"], errors: [] });
  const hit = ex.runToBreakpoint();
  assert.equal(hit.stop, "hit");
  assert.equal(ex.history().at(-1).type, "ChoiceStateEntered");
  const o = ex.overlay();
  assert.equal(o.event, hit.event);
  assert.deepEqual(o.states.map((s) => [s.path, s.mark]), [["Fetch", "succeeded"], ["Check", "active"]]);
  assert.deepEqual(o.edges, [{ from: "Fetch", to: "Check", count: 1 }]);
  const [visit] = ex.visits("Fetch");
  assert.equal(visit.outcome, "succeeded");
  assert.deepEqual(visit.stages.map((s) => s.name),
    ["input", "afterInputPath", "afterParameters", "result", "afterResultSelector", "afterResultPath", "output"]);
  const rs = visit.stages.find((s) => s.name === "afterResultSelector");
  assert.deepEqual(rs.value, { total: 150 });
  const rp = visit.stages.find((s) => s.name === "afterResultPath");
  assert.equal(rp.expression, "$.order");
  assert.deepEqual(rp.changes, [{ pointer: "/id", kind: "added" }, { pointer: "/order", kind: "added" }, { pointer: "/total", kind: "removed" }]);
  assert.equal(visit.context.State.Name, "Fetch");
  assert.deepEqual(ex.visitOfEvent(visit.enteredEvent + 1), { path: "Fetch", index: 0 });
  assert.equal(ex.visitOfEvent(1), null);
  // Stepping by state and back.
  assert.equal(ex.backState(), true);
  assert.equal(ex.history().at(-1).type, "TaskStateEntered");
  assert.deepEqual(ex.stepState(), { stop: "hit", event: hit.event });
  // An error breakpoint, and the paused task's answers.
  assert.equal(ex.runToBreakpoint().stop, "paused");
  const [task] = ex.pending();
  assert.throws(() => ex.expireTask(task.token), /never times out/);
  assert.equal(ex.sendHeartbeat(task.token, 1000), "accepted");
  assert.throws(() => ex.setBreakpoints({ states: "Check" }), /breakpoints/);
});

test("options: seed, maxTransitions, MockConfigFile test cases", () => {
  const loop = JSON.stringify({
    StartAt: "A",
    States: {
      A: { Type: "Pass", Next: "B" },
      B: { Type: "Choice", Choices: [{ Variable: "$.stop", IsPresent: true, Next: "Done" }], Default: "A" },
      Done: { Type: "Succeed" },
    },
  });
  const s = Execution.start(loop, {}, { maxTransitions: 5 }).run();
  assert.equal(s.status, "FAILED");
  assert.equal(s.error, "States.Runtime");
  assert.match(s.cause, /maximum number of state transitions \(5\)/);

  const uuid = '{"StartAt":"U","States":{"U":{"Type":"Pass","Parameters":{"id.$":"States.UUID()"},"End":true}}}';
  const id = (seed) => Execution.start(uuid, {}, { seed }).run().output.id;
  assert.equal(id(1), id(1));
  assert.notEqual(id(1), id(2));

  const config = {
    StateMachines: { Order: { TestCases: { Small: { Fetch: "Small" } } } },
    MockedResponses: { Small: { 0: { Return: { Payload: { total: 7 } } } } },
  };
  const out = Execution.start(ORDER, {}, { mocks: config, testCase: "Small" }).run();
  assert.deepEqual(out, { status: "SUCCEEDED", output: { order: { total: 7 } } });
  const pass = '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}';
  assert.deepEqual(Execution.start(pass).run().output, {}, "no input is AWS's {}");
  assert.deepEqual(Execution.start(pass, undefined, undefined).run().output, {});
  assert.deepEqual(Execution.start(pass, null, null).run().output, null, "null is a JSON input");
  assert.deepEqual(Execution.start(pass, [1, "two", { three: 3.5 }], {}).run().output, [1, "two", { three: 3.5 }]);
});

test("bad definitions, inputs and options throw Errors with messages", () => {
  const invalid = (e) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /^Invalid state machine definition: 1:\d+: error\[MISSING_TRANSITION_TARGET\]/);
    assert.equal(e.diagnostics[0].code, "MISSING_TRANSITION_TARGET");
    assert.equal(e.diagnostics[0].line, 1);
    return true;
  };
  assert.throws(() => Execution.start('{"StartAt":"X","States":{"A":{"Type":"Pass","End":true}}}', {}), invalid);
  assert.throws(() => Execution.start("{", {}), (e) => e.diagnostics[0].code === "INVALID_JSON_DESCRIPTION");
  assert.throws(() => Execution.start(ORDER, { f: () => 1 }), /the input is not JSON data/);
  assert.throws(() => Execution.start(ORDER, { x: NaN }), /the input is not JSON data/);
  assert.throws(() => Execution.start(ORDER, {}, { mocks: { Fetch: 1 } }), /mock.*"Fetch"/);
  assert.throws(() => Execution.start(ORDER, {}, { seed: -1 }), /"seed" must be a non-negative integer/);
  assert.throws(() => Execution.start(ORDER, {}, { startTime: "soon" }), /RFC 3339/);
  assert.throws(() => Execution.start(ORDER, {}, { maxTransition: 3 }), /unknown option "maxTransition"/);
  assert.throws(() => Execution.start(ORDER, {}, "fast"), /must be an object/);
  // The module is still usable after all of that (nothing trapped).
  assert.equal(Execution.start(ORDER, {}, total(1)).run().status, "SUCCEEDED");
});

test("StateMachine: loaded once, started many times, each run its own", () => {
  const machine = StateMachine.load(ORDER);
  const small = machine.start({ id: 1 }, total(7));
  const big = machine.start({ id: 2 }, total(700));
  assert.deepEqual(small.run(), { status: "SUCCEEDED", output: { id: 1, order: { total: 7 } } });
  assert.equal(big.run().status, "PAUSED", "Approve has no mock");
  assert.deepEqual(machine.start().run().status, "PAUSED", "no input, no mocks: Fetch pauses");
  // The same as Execution.start: history, cost and lints read the loaded definition.
  const once = Execution.start(ORDER, { id: 1 }, total(7));
  once.run();
  assert.deepEqual(small.history(), once.history());
  assert.deepEqual(small.cost(), once.cost());
  assert.deepEqual(small.lints(), once.lints());
  // Express, set at load: its limits and delivery.
  const express = StateMachine.load(ORDER, { type: "EXPRESS" }).start({}, total(7));
  express.run();
  assert.equal(express.delivery().workflowType, "EXPRESS");
  // Errors as Execution.start's: an invalid definition carries diagnostics; options are checked.
  assert.throws(() => StateMachine.load('{"StartAt":"X","States":{}}'), (e) => e.diagnostics.length > 0);
  assert.throws(() => StateMachine.load(ORDER, { seed: 1 }), /StateMachine options: unknown option "seed"/);
  assert.throws(() => machine.start({}, { type: "EXPRESS" }), /StateMachine.start options: unknown option "type"/);
  assert.throws(() => machine.start({ f: () => 1 }), /the input is not JSON data/);
  // Options read once are reused only while their text is the same: the same object changed in
  // place between starts gives the new mocks; bad options still throw after good ones.
  const opts = total(7);
  assert.deepEqual(machine.start({ id: 3 }, opts).run().output, { id: 3, order: { total: 7 } });
  assert.deepEqual(machine.start({ id: 4 }, opts).run().output, { id: 4, order: { total: 7 } });
  opts.mocks.Fetch.Return.Payload.total = 8;
  assert.deepEqual(machine.start({ id: 5 }, opts).run().output, { id: 5, order: { total: 8 } });
  assert.throws(() => machine.start({}, { ...opts, seed: -1 }), /"seed" must be a non-negative integer/);
  assert.deepEqual(machine.start({ id: 6 }, total(9)).run().output, { id: 6, order: { total: 9 } });
  // A freed execution's history storage goes to the machine's next start: that run records its
  // own history, as a fresh one does (and the freed ones' are gone, not shared).
  const expected = once.history();
  small.free();
  big.free();
  const again = machine.start({ id: 1 }, total(7));
  assert.equal(again.history().length, 0);
  again.run();
  assert.deepEqual(again.history(), expected);
  const other = machine.start({ id: 1 }, total(7));
  other.run();
  assert.deepEqual(other.history(), expected);
  again.free();
  other.free();
});

test("StateMachine.withMocks: the mocks read once, for every start without mocks of its own", () => {
  const machine = StateMachine.load(ORDER);
  const mocks = { Fetch: { Return: { Payload: { total: 150 }, StatusCode: 200 } }, Approve: { Return: { approved: true } } };
  const mocked = machine.withMocks(mocks);
  const done = { status: "SUCCEEDED", output: { approved: true } };
  assert.deepEqual(mocked.start({ id: 1 }).run(), done);
  // The same run as the mocks given to start, event for event.
  const a = mocked.start({ id: 1 }), b = machine.start({ id: 1 }, { mocks });
  a.run(); b.run();
  assert.deepEqual(a.history(), b.history());
  // Read when withMocks was called: changing the object afterwards changes nothing.
  mocks.Approve.Return.approved = false;
  assert.deepEqual(mocked.start({ id: 2 }).run(), done);
  // A start's own mocks win; the next start without them has withMocks' again; other options apply.
  assert.deepEqual(mocked.start({ id: 3 }, total(7)).run().output, { id: 3, order: { total: 7 } });
  assert.deepEqual(mocked.start({ id: 4 }, { seed: 5 }).run(), done);
  assert.deepEqual(mocked.start({ id: 4 }).run(), done);
  assert.equal(machine.start({ id: 5 }).run().status, "PAUSED", "the machine it came from has no mocks");
  // A MockConfigFile takes its test case in withMocks' options.
  const config = {
    StateMachines: { Order: { TestCases: { Small: { Fetch: "Small" } } } },
    MockedResponses: { Small: { 0: { Return: { Payload: { total: 7 } } } } },
  };
  assert.deepEqual(machine.withMocks(config, { testCase: "Small" }).start({}).run().output, { order: { total: 7 } });
  assert.throws(() => machine.withMocks(config), /choose a test case with the "testCase" option/);
  assert.throws(() => machine.withMocks({ Fetch: 1 }), /mock.*"Fetch"/);
  assert.throws(() => machine.withMocks(mocks, { seed: 1 }), /withMocks options: unknown option "seed"/);
  assert.throws(() => machine.withMocks({ Fetch: { Return: NaN } }), /the mocks is not JSON data|not JSON data/);
});

test("onTask: a JS function answers each task from inside the run, before mocks", () => {
  const machine = StateMachine.load(ORDER);
  const seen = [];
  const ex = machine.start({ id: "a" }, {
    onTask: (t) => { seen.push(t); return t.state === "Fetch" ? { output: { Payload: { total: 150 } } } : undefined; },
  });
  const paused = ex.run();
  assert.equal(paused.status, "PAUSED", "declined (undefined) and no mock: Approve pauses");
  assert.deepEqual(paused.tasks.map((t) => t.state), ["Approve"]);
  assert.deepEqual(seen[0], {
    state: "Fetch", resource: "arn:aws:states:::lambda:invoke",
    parameters: { FunctionName: "fetch-order", Payload: { id: "a" } }, iterations: [], retryCount: 0,
  });
  assert.deepEqual(seen.map((t) => t.state), ["Fetch", "Approve"]);
  ex.completeTask(paused.tasks[0].token, { output: "ok" });
  assert.deepEqual(ex.run(), { status: "SUCCEEDED", output: "ok" });
  // Answers are kept: going back and forward replays Fetch's and Approve's (completeTask's)
  // without asking again.
  const calls = seen.length;
  assert.ok(ex.seek(0));
  assert.deepEqual(ex.run(), { status: "SUCCEEDED", output: "ok" });
  assert.equal(seen.length, calls);
  // The same run as a mock giving the same answer; declining falls back to the mock.
  const byMock = Execution.start(ORDER, { id: 1 }, total(7));
  const byHandler = Execution.start(ORDER, { id: 1 }, { onTask: () => ({ output: { Payload: { total: 7 }, StatusCode: 200 } }) });
  assert.deepEqual(byHandler.run(), byMock.run());
  assert.deepEqual(byHandler.history(), byMock.history());
  assert.deepEqual(machine.start({ id: 2 }, { ...total(7), onTask: () => undefined }).run().output, { id: 2, order: { total: 7 } });
  // Failures: an {error, cause} answer, a throw (the exception's name and message, as a Lambda's
  // uncaught exception), and answers that cannot be read (States.Runtime, saying why).
  const end = (onTask) => { const s = machine.start({}, { onTask }).run(); return [s.status, s.error, s.cause]; };
  assert.deepEqual(end(() => ({ error: "Boom", cause: "no" })), ["FAILED", "Boom", "no"]);
  assert.deepEqual(end(() => { throw new TypeError("bad input"); }), ["FAILED", "TypeError", "bad input"]);
  assert.deepEqual(end(() => { throw "plain"; }), ["FAILED", "Error", "plain"]);
  const [, promiseError, promiseCause] = end(async () => ({ output: 1 }));
  assert.equal(promiseError, "States.Runtime");
  assert.match(promiseCause, /Promise/);
  assert.match(end(() => ({ output: () => 1 }))[2], /onTask: the answer is not JSON data/);
  assert.match(end(() => ({ value: 1 }))[2], /onTask: the task answer: unknown option "value"/);
  assert.match(end(() => ({}))[2], /onTask: the task answer: expected \{output: …\}/);
  assert.throws(() => machine.start({}, { onTask: "yes" }), /"onTask" must be a function/);
  assert.throws(() => Execution.start(ORDER, {}, { onTask: 1 }), /"onTask" must be a function/);
  assert.equal(machine.start({}, { onTask: undefined }).run().status, "PAUSED", "onTask: undefined is no handler");
});

test("the history is recorded when first asked for, as if recorded from the start", () => {
  // Fetch's answers come from onTask; the Map's tasks fail once and are retried; Approve is
  // declined and answered by completeTask.
  const def = JSON.stringify({
    StartAt: "Fetch",
    States: {
      Fetch: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:fetch", ResultPath: "$.fetched", Next: "Each" },
      Each: {
        Type: "Map", ItemsPath: "$.items", ResultPath: "$.each", Next: "Approve",
        ItemProcessor: {
          StartAt: "A",
          States: { A: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:a", End: true,
            Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 1, MaxAttempts: 2 }] } },
        },
      },
      Approve: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:approve", End: true },
    },
  });
  const machine = StateMachine.load(def);
  const calls = [];
  const onTask = (t) => {
    calls.push(`${t.state}${t.iterations.join("")}/${t.retryCount}`);
    if (t.state === "Approve") return undefined;
    if (t.state === "A" && t.retryCount === 0) return { error: "Flaky" };
    return { output: { n: calls.length } };
  };
  const drive = (ex) => {
    const paused = ex.run();
    assert.equal(paused.status, "PAUSED");
    ex.completeTask(paused.tasks[0].token, { output: "approved" });
    return ex.run();
  };
  // Both started before any history is read (a machine whose last execution had its history
  // read starts the next one recording).
  const eager = machine.start({ items: [1, 2] }, { onTask });
  const lazy = machine.start({ items: [1, 2] }, { onTask });
  // Recorded from the start: its history read before the first event.
  assert.deepEqual(eager.history(), []);
  const eagerEnd = drive(eager);
  const eagerCalls = calls.splice(0);
  // Recorded afterwards: nothing read until the run has ended.
  assert.deepEqual(drive(lazy), eagerEnd);
  assert.deepEqual(calls, eagerCalls, "the same tasks asked, in the same order");
  const events = lazy.eventCount();
  calls.length = 0;
  assert.deepEqual(lazy.history(), eager.history());
  assert.equal(lazy.eventCount(), events);
  // Replayed with the answers given: none asked again (Approve's completeTask answer is due
  // when the replay reaches it; a task declined before an answer given later would be).
  assert.deepEqual(calls, []);
  assert.deepEqual(lazy.visits("Each/A"), eager.visits("Each/A"));
  assert.deepEqual(lazy.overlay(), eager.overlay());
  assert.deepEqual(lazy.cost(), eager.cost());
  // Going back and forward again, as on the other.
  assert.ok(lazy.seek(5) && eager.seek(5));
  assert.deepEqual(lazy.position(), eager.position());
  assert.deepEqual(lazy.run(), eager.run());
  assert.deepEqual(lazy.history(), eager.history());
  // Stopped part way by a budget, then stepped: the same events as stepping from the start.
  const pure = (t) => (t.state === "Approve" ? undefined : { output: [t.state, t.retryCount] });
  const fresh = StateMachine.load(def);
  const a = fresh.start({ items: [3] }, { onTask: pure });
  const b = fresh.start({ items: [3] }, { onTask: pure });
  b.history();
  a.run(7);
  b.run(7);
  assert.equal(a.eventCount(), 7);
  assert.deepEqual(a.step(), b.step());
  assert.deepEqual(a.history(), b.history());
  assert.deepEqual(a.status(), b.status());
});

test("onTask: retries and Map iterations are in the request", () => {
  const def = JSON.stringify({
    StartAt: "M",
    States: {
      M: {
        Type: "Map", ItemsPath: "$.items", End: true,
        ItemProcessor: {
          StartAt: "A",
          States: {
            A: {
              Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:a", End: true,
              Retry: [{ ErrorEquals: ["Flaky"], IntervalSeconds: 1, MaxAttempts: 2 }],
            },
          },
        },
      },
    },
  });
  const seen = [];
  const onTask = (t) => {
    seen.push([t.iterations, t.retryCount]);
    return t.retryCount === 0 ? { error: "Flaky" } : { output: t.parameters * 10 };
  };
  assert.deepEqual(Execution.start(def, { items: [1, 2] }, { onTask }).run(), { status: "SUCCEEDED", output: [10, 20] });
  assert.deepEqual(seen.sort(), [[[0], 0], [[0], 1], [[1], 0], [[1], 1]]);
});

test("onTask: values cross both ways as JSON text would carry them", () => {
  // A Pass-through Task: the request is the input, the answer its output (echoed by the handler,
  // or given as written here).
  const def = JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:t", End: true } } });
  const machine = StateMachine.load(def);
  const echo = (input, answer = (t) => ({ output: t.parameters })) => {
    const seen = [];
    const st = machine.start(input, { onTask: (t) => { seen.push(t.parameters); return answer(t); } }).run();
    return [seen[0], st.output, st.status, st.cause];
  };
  const data = {
    s: "plain", u: "é ✓ 𝄞", long: "x".repeat(40) + "é", empty: "", n: [0, -1, 1.5, 1e21, 2 ** 60, -(2 ** 62), 1e-7],
    nested: [[[]], {}, { a: null, b: true, c: false }], ["__proto__"]: { own: 1 }, "k é": 1,
  };
  const [request, output, status] = echo(data);
  assert.equal(status, "SUCCEEDED");
  assert.deepEqual(request, JSON.parse(JSON.stringify(data)));
  assert.ok(Object.hasOwn(request, "__proto__") && Object.getPrototypeOf(request) === Object.prototype);
  assert.deepEqual(output, JSON.parse(JSON.stringify(data)));
  // Answers JSON.stringify would change: -0, a lone surrogate, undefined members, a Map, a Date,
  // a boxed number, a null-prototype object, an object with toJSON.
  const odd = {
    z: -0, lone: "a\ud800b", u: undefined, arr: [undefined, 1], m: new Map([["k", 1]]), d: new Date(0),
    boxed: new Number(3), bare: Object.assign(Object.create(null), { x: 1 }), j: { toJSON: () => "J" },
  };
  const [, oddOut] = echo({}, () => ({ output: odd }));
  assert.deepEqual(oddOut, {
    z: 0, lone: "a\ufffdb", u: null, arr: [null, 1], m: { k: 1 }, d: "1970-01-01T00:00:00.000Z", boxed: 3, bare: { x: 1 }, j: "J",
  });
  assert.equal(Object.is(oddOut.z, -0), false);
  // An answer larger than the room kept for answers, and one nested too deep.
  const big = Array.from({ length: 500 }, (_, i) => ({ i, s: "é".repeat(i % 7) }));
  assert.deepEqual(echo({}, () => ({ output: big }))[1], big);
  let deep = 1;
  for (let i = 0; i < 250; i++) deep = [deep];
  const [, , deepStatus, deepCause] = echo({}, () => ({ output: deep }));
  assert.equal(deepStatus, "FAILED");
  assert.match(deepCause, /nested more than 200 levels/);
  // A handler that starts another execution with its own onTask while answering.
  const inner = StateMachine.load(def);
  const [, outer] = echo({ v: 1 }, (t) => ({ output: { mine: t.parameters, inner: inner.start({ w: 2 }, { onTask: (u) => ({ output: u.parameters }) }).run().output } }));
  assert.deepEqual(outer, { mine: { v: 1 }, inner: { w: 2 } });
});

test("inputs, mocks and answers cross as JSON text would carry them, also from inside a getter", () => {
  const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
  const TASK = JSON.stringify({ StartAt: "T", States: { T: { Type: "Task", Resource: "arn:aws:lambda:us-east-1:123456789012:function:t", End: true } } });
  const data = {
    s: "plain", u: "é ✓ 𝄞", long: "x".repeat(40) + "é", empty: "", n: [0, -1, 1.5, 1e21, 2 ** 60, -(2 ** 62), 1e-7, 0.1 + 0.2],
    nested: [[[]], {}, { a: null, b: true, c: false }], ["__proto__"]: { own: 1 }, "k é": 1,
  };
  const asJson = (x) => JSON.parse(JSON.stringify(x));
  const through = (input) => Execution.start(PASS, input).run().output;
  assert.deepEqual(through(data), asJson(data));
  assert.ok(Object.hasOwn(through(data), "__proto__"));
  const order = { b: 1, a: 2, 10: 0, 2: 0, "-1": 0 };
  assert.deepEqual(Object.keys(through(order)), Object.keys(asJson(order)));
  const floats = '{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Result": {"z": -0.0, "f": 0.30000000000000004, "e": 1e-300, "i": 18446744073709551615}}}}';
  const fo = Execution.start(floats, {}).run().output;
  assert.deepEqual(fo, { z: -0, f: 0.30000000000000004, e: 1e-300, i: 18446744073709551615 });
  const odd = {
    z: -0, lone: "a\ud800b", u: undefined, arr: [undefined, 1], m: new Map([["k", 1]]), d: new Date(0),
    boxed: new Number(3), bare: Object.assign(Object.create(null), { x: 1 }), j: { toJSON: () => "J" },
  };
  assert.deepEqual(through(odd), {
    z: 0, lone: "a\ufffdb", u: null, arr: [null, 1], m: { k: 1 }, d: "1970-01-01T00:00:00.000Z", boxed: 3, bare: { x: 1 }, j: "J",
  });
  // A toJSON inherited by every array, as JSON.stringify would call it.
  Array.prototype.toJSON = function () { return this.length; };
  try {
    assert.deepEqual(through({ a: [1, 2, 3] }), { a: 3 });
  } finally {
    delete Array.prototype.toJSON;
  }
  // Mocks and completeTask's answers take the same path.
  assert.deepEqual(Execution.start(TASK, {}, { mocks: { T: { Return: data } } }).run().output, asJson(data));
  const paused = Execution.start(TASK, {});
  const [task] = paused.run().tasks;
  paused.completeTask(task.token, { output: odd });
  assert.deepEqual(paused.run().output, through(odd));
  // A getter of the value being read that calls the API (another start, with its own input and
  // an onTask answer): the outer value is read whole.
  const inner = StateMachine.load(TASK);
  const withGetter = (v) => ({
    before: data,
    get g() { return inner.start({ w: v }, { onTask: (t) => ({ output: { echoed: t.parameters, more: "x".repeat(2000) } }) }).run().output; },
    after: [1, "two", { three: 3 }],
  });
  const expected = (v) => ({ before: asJson(data), g: { echoed: { w: v }, more: "x".repeat(2000) }, after: [1, "two", { three: 3 }] });
  assert.deepEqual(through(withGetter(1)), expected(1));
  const answered = Execution.start(TASK, {}, { onTask: () => ({ output: withGetter(2) }) }).run().output;
  assert.deepEqual(answered, expected(2));
  // What is not JSON data fails as before, saying where it was given.
  assert.throws(() => Execution.start(PASS, { f() {} }), /the input is not JSON data: a function is not JSON data/);
  assert.throws(() => Execution.start(PASS, { get boom() { throw new Error("getter"); } }), /the input is not JSON data: getter/);
  assert.throws(() => paused.completeTask(task.token, { output: 1n }), /the task answer is not JSON data/);
});

test("integers beyond 2^53 come out as JSON.parse would read them", () => {
  const def = '{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"big":12345678901234567890},"End":true}}}';
  assert.deepEqual(Execution.start(def, {}).run(), { status: "SUCCEEDED", output: { big: 12345678901234567890 } });
});

test("Execution: type EXPRESS, delivery, cost and run lints", () => {
  const loop = (n) => JSON.stringify({
    StartAt: "Count",
    States: {
      Count: { Type: "Pass", Parameters: { "n.$": "$.n", "i.$": "States.MathAdd($.i, 1)" }, Next: "More" },
      More: { Type: "Choice", Choices: [{ Variable: "$.i", NumericLessThanPath: "$.n", Next: "Count" }], Default: "Done" },
      Done: { Type: "Succeed" },
    },
  });
  const standard = Execution.start(loop(), { n: 20000, i: 0 });
  assert.equal(standard.run().status, "FAILED");
  assert.equal(standard.delivery().semantics, "exactly-once");
  const express = Execution.start(loop(), { n: 20000, i: 0 }, { type: "EXPRESS" });
  assert.equal(express.run().status, "SUCCEEDED");
  assert.deepEqual(express.delivery().workflowType, "EXPRESS");
  assert.deepEqual(express.delivery().mustBeIdempotent, []);
  const order = Execution.start(ORDER, {}, { type: "EXPRESS", ...total(5) });
  assert.deepEqual(order.delivery().mustBeIdempotent.map((r) => r.state), ["Fetch", "Approve"]);
  const cost = express.cost({ executionsPerMonth: 1000 });
  assert.equal(cost.usage.execution.billedTransitions, 40001);
  assert.ok(cost.express.perRunUsd < cost.standard.perRunUsd);
  assert.equal(cost.prices.region, "us-east-1");
  const wait = '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":301,"End":true}}}';
  const timedOut = Execution.start(wait, {}, { type: "EXPRESS" }).run();
  assert.deepEqual([timedOut.status, timedOut.error], ["TIMED_OUT", "States.Timeout"]);
  const small = Execution.start(loop(), { n: 3, i: 0, password: "hunter2" });
  small.run();
  assert.deepEqual(small.lints().map((d) => d.code), ["SECRET_IN_INPUT"]);
  assert.deepEqual(small.lints({ allow: ["SECRET_IN_INPUT"] }), []);
});

test("all options together: type, lints and allow with substitutions and logicalId", () => {
  const tpl = [
    "Resources:",
    "  Other:",
    "    Type: AWS::StepFunctions::StateMachine",
    "    Properties:",
    "      Definition: {StartAt: P, States: {P: {Type: Pass, End: true}}}",
    "  Main:",
    "    Type: AWS::StepFunctions::StateMachine",
    "    Properties:",
    "      Definition:",
    "        StartAt: Ask",
    "        States:",
    "          Ask:",
    "            Type: Task",
    "            Resource: arn:aws:states:::${Service}:sendMessage.waitForTaskToken",
    "            Parameters:",
    "              QueueUrl: ${Queue}",
    "              password: hunter2",
    "            End: true",
  ].join("\n");
  const opts = { logicalId: "Main", substitutions: { Service: "sqs", Queue: "https://q" } };
  const std = validate(tpl, opts);
  assert.equal(std.ok, true, JSON.stringify(std.diagnostics));
  assert.equal(std.source.logicalId, "Main");
  assert.deepEqual(std.placeholders, []);
  assert.deepEqual(std.diagnostics.map((d) => [d.code, d.line]), [["SECRET_IN_DEFINITION", 17]]);
  const express = validate(tpl, { ...opts, type: "EXPRESS", allow: ["SECRET_IN_DEFINITION"] });
  assert.equal(express.ok, false);
  assert.deepEqual(express.diagnostics.map((d) => [d.code, d.line]), [["EXPRESS_UNSUPPORTED_INTEGRATION", 14]]);
  assert.throws(
    () => Execution.start(tpl, {}, { ...opts, type: "EXPRESS" }),
    (e) => e.diagnostics.some((d) => d.code === "EXPRESS_UNSUPPORTED_INTEGRATION"),
  );
  // A run of the template's machine: its lints are read from the template, as loaded.
  const exec = Execution.start(tpl, { token: "abc" }, { ...opts, mocks: { Ask: { Return: {} } } });
  exec.run(1000);
  assert.equal(exec.status().status, "SUCCEEDED");
  const lints = exec.lints();
  assert.ok(lints.some((d) => d.code === "SECRET_IN_DEFINITION" && d.line === 17), JSON.stringify(lints));
  assert.ok(lints.some((d) => d.code === "SECRET_IN_INPUT"), JSON.stringify(lints));
});

test("encodeShare / decodeShare: the playground's share links", () => {
  const session = { definition: ORDER, input: { total: 150 }, mocks: '{"Fetch": {"Return": {"Payload": {"total": 150}}}}', type: "EXPRESS", step: 4, state: "Check" };
  const link = encodeShare(session);
  assert.match(link, /^v1\.[A-Za-z0-9_-]+$/);
  assert.equal(encodeShare(session), link, "deterministic");
  const back = decodeShare(link);
  assert.deepEqual(back, {
    definition: ORDER, input: '{\n  "total": 150\n}', mocks: session.mocks, substitutions: {},
    logicalId: null, type: "EXPRESS", step: 4, state: "Check",
  });
  assert.equal(encodeShare(back), encodeShare({ ...session, input: back.input }), "its own output round-trips");
  assert.throws(() => decodeShare("v1.AAAA"), /damaged/);
  assert.throws(() => decodeShare("v9.AAAA"), /format v9/);
  assert.throws(() => decodeShare("hello"), /not a share link/);
  assert.throws(() => encodeShare({ definition: "{}", step: -1 }), /"step"/);
  assert.throws(() => encodeShare({ input: "{}" }), /needs a "definition"/);
});

test("inputs: 200 levels of nesting cross, 201 are refused; a lone surrogate becomes U+FFFD", () => {
  const PASS = JSON.stringify({ StartAt: "P", States: { P: { Type: "Pass", End: true } } });
  let deep = 1;
  for (let i = 0; i < 200; i++) deep = [deep];
  assert.deepEqual(Execution.start(PASS, deep).run().output, deep, "200 levels, the executor's own limit");
  assert.throws(() => Execution.start(PASS, [deep]), /the input is not JSON data: JSON nested more than 200 levels deep/);
  let cyclic = {};
  cyclic.self = cyclic;
  assert.throws(() => Execution.start(PASS, cyclic), /the input is not JSON data/);
  const out = Execution.start(PASS, { name: "a\uD800b", ok: "é" }).run().output;
  assert.deepEqual(out, { name: "a\uFFFDb", ok: "é" });
});
