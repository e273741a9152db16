// JSONata's official suite 2.0.6 (../shared/jsonata-suite) against the wasm build's
// `evaluateJsonata`, compared as crates/asl-core/tests/jsonata_suite.rs compares natively: the
// same cases, the same known-failures list, the same rules (error `code`, `undefinedResult`,
// `result` with numbers equal to 15 significant digits, `bindings`, `dataset`s, `depth` and
// `timelimit` as limits). A listed case that passes, or an unlisted failure, fails the test, so
// the wasm count cannot drift from the native one. JSONATA_SUITE overrides the suite's location.
// Run by ../../test.sh, which builds the package and points ASL_WASM_NODE at it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const pkg = process.env.ASL_WASM_NODE;
if (!pkg) throw new Error("set ASL_WASM_NODE to the wasm-bindgen --target nodejs output (see test.sh)");
const { evaluateJsonata } = createRequire(import.meta.url)(`${pkg}/asl_wasm.js`);

const here = fileURLToPath(new URL(".", import.meta.url));
const SUITE = process.env.JSONATA_SUITE ?? join(here, "../../../../../shared/jsonata-suite");
const KNOWN = join(here, "../../../asl-core/tests/jsonata/known-failures.json");

// Strings a Rust `String` cannot hold (lone UTF-16 surrogates): the native runner cannot parse
// those files and skips them; so does this one, to count the same cases.
function wellFormed(v) {
  if (typeof v === "string") return v.isWellFormed();
  if (Array.isArray(v)) return v.every(wellFormed);
  if (v && typeof v === "object") return Object.entries(v).every(([k, x]) => k.isWellFormed() && wellFormed(x));
  return true;
}

function loadCases() {
  const groups = join(SUITE, "groups");
  const cases = [];
  const unrepresentable = [];
  for (const group of readdirSync(groups).sort()) {
    const dir = join(groups, group);
    if (!statSync(dir).isDirectory()) continue;
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
      const stem = file.slice(0, -5);
      const json = JSON.parse(readFileSync(join(dir, file), "utf8"));
      if (!wellFormed(json)) {
        unrepresentable.push(`${group}/${stem}`);
        continue;
      }
      if (Array.isArray(json)) json.forEach((c, i) => cases.push({ id: `${group}/${stem}[${i}]`, c, dir }));
      else cases.push({ id: `${group}/${stem}`, c: json, dir });
    }
  }
  return { cases, unrepresentable };
}

/** JSON equality, numbers to 15 significant digits (as the Rust runner's `{:.14e}`). */
function same(a, b) {
  if (typeof a === "number" && typeof b === "number") return a === b || a.toExponential(14) === b.toExponential(14);
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => same(x, b[i]));
  }
  if (a && b && typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]));
  }
  return a === b;
}

const datasets = new Map();
function dataset(name) {
  if (!datasets.has(name)) {
    let v;
    try {
      v = JSON.parse(readFileSync(join(SUITE, "datasets", `${name}.json`), "utf8"));
    } catch {
      v = undefined;
    }
    datasets.set(name, v);
  }
  return datasets.get(name);
}

const show = (v) => (v === undefined ? "undefined" : JSON.stringify(v));

/** null when the case passes, else why it failed. */
function runCase({ c, dir }) {
  let expr = c.expr;
  if (typeof expr !== "string") {
    if (typeof c["expr-file"] !== "string") return "no expression";
    expr = readFileSync(join(dir, c["expr-file"]), "utf8");
  }
  const input = "data" in c ? c.data : typeof c.dataset === "string" ? dataset(c.dataset) : undefined;
  const options = {};
  if (Number.isInteger(c.depth)) options.maxDepth = c.depth;
  if (Number.isInteger(c.timelimit)) options.maxSteps = c.timelimit * 10_000;
  let result;
  let error;
  try {
    result = evaluateJsonata(expr, input, c.bindings ?? null, options);
  } catch (e) {
    error = e;
  }
  if (error && typeof error.code !== "string") return `not a JSONata error: ${error}`;
  const code = c.code ?? c.error?.code;
  if (typeof code === "string") {
    if (error) return error.code === code ? null : `expected ${code}, got error ${error.message}`;
    return `expected ${code}, got ${show(result.value)}`;
  }
  if (error) return `error ${error.message}`;
  if (c.undefinedResult === true) return result.undefined ? null : `expected undefined, got ${show(result.value)}`;
  if ("result" in c) {
    return !result.undefined && same(result.value, c.result) ? null : `expected ${show(c.result)}, got ${show(result.value)}`;
  }
  return "case has no expectation";
}

test("JSONata suite (wasm): the native pass count, the same known failures", () => {
  const known = JSON.parse(readFileSync(KNOWN, "utf8"));
  const { cases, unrepresentable } = loadCases();
  let pass = 0;
  let skip = 0;
  const problems = [];
  for (const kase of cases) {
    const why = runCase(kase);
    const listed = Object.hasOwn(known, kase.id);
    if (why === null) {
      pass++;
      if (listed) problems.push(`${kase.id}: passes now; remove it from known-failures.json`);
    } else if (listed) {
      skip++;
    } else {
      problems.push(`${kase.id}: ${why}`);
    }
  }
  const fail = problems.filter((p) => !p.endsWith("known-failures.json")).length;
  console.log(
    `JSONata suite (wasm): ${pass} pass, ${fail} unexpected failures, ${skip} known failures, of ${cases.length} cases ` +
      `(${unrepresentable.length} more not representable in Rust strings: ${unrepresentable.join(", ")})`,
  );
  assert.ok(cases.length > 1500, `suite not found at ${SUITE}`);
  assert.deepEqual(problems, []);
});

test("evaluateJsonata: a value, undefined, bindings and an error with code and position", () => {
  assert.deepEqual(evaluateJsonata("$sum(a)", { a: [1, 2, 3] }), { value: 6 });
  assert.deepEqual(evaluateJsonata("nothing", {}), { undefined: true });
  assert.deepEqual(evaluateJsonata("$states.input.n + 1", undefined, { states: { input: { n: 41 } } }), { value: 42 });
  assert.throws(() => evaluateJsonata("é + (1"), (e) => e instanceof Error && e.code === "S0203" && typeof e.position === "number");
  assert.throws(() => evaluateJsonata("1", null, null, { maxDepht: 3 }), /unknown option "maxDepht"/);
});

test("evaluateJsonata: deep recursion ends in U1001, not a crash of the module", () => {
  const deep = "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1)}; $f(100000))";
  assert.throws(() => evaluateJsonata(deep), (e) => e.code === "U1001");
  // The module still works afterwards (a trap would leave it unusable).
  assert.deepEqual(evaluateJsonata("1 + 1"), { value: 2 });
});

test("evaluateJsonata: a regex that backtracks polynomially of high degree ends in D1005 on a long string", () => {
  // The jsonata fuzz target's pattern (degree 6: minutes on 72 characters) and a plainer one,
  // on 401 characters: days without the guard, so the test would hang, not fail.
  const s = "x.".repeat(200) + "!";
  const cases = [
    ["/(([^]{2,}[^]{2,}[^]{2,}|x)([^]{2,}[^]{2,}[^]{2,}|y))aa/", "power 7"],
    ["/.*.*.*.*!!/", "power 5"],
  ];
  for (const [re, power] of cases) {
    assert.throws(
      () => evaluateJsonata(`$contains(s, ${re})`, { s }),
      (e) =>
        e.code === "D1005" &&
        e.message.includes(re) &&
        e.message.includes("backtrack polynomially") &&
        e.message.includes(power) &&
        e.message.includes("this one has 401"),
      re,
    );
  }
  // Ordinary regexes (at most quadratic) are not limited.
  assert.deepEqual(evaluateJsonata("$contains(s, /(.+)@(.+)/)", { s }), { value: false });
});

test("evaluateJsonata: a regex that backtracks catastrophically ends in D1005, not a frozen page", () => {
  // Each would take longer than the universe's age on 61 characters without the guard: the
  // test would hang, not fail.
  const s = "a".repeat(60) + "!";
  for (const re of ["/^(a+)+$/", "/(a|a)*b/", "/(a*)*b/", "/(\\w+\\s?)+$/"]) {
    for (const call of [`$match(s, ${re})`, `$replace(s, ${re}, "x")`, `$split(s, ${re})`, `s ~> $contains(${re})`]) {
      assert.throws(
        () => evaluateJsonata(call, { s }),
        (e) => e.code === "D1005" && e.message.includes(re) && e.message.includes("this one has 61"),
        call,
      );
    }
  }
  // The same patterns on short strings, and ordinary ones on long strings, run as before.
  assert.deepEqual(evaluateJsonata("$contains(s, /^(a+)+$/)", { s: "aaaaaaaa" }), { value: true });
  assert.deepEqual(evaluateJsonata("$contains(s, /^(a+)+$/)", { s: "aaaaaaa!" }), { value: false });
  assert.deepEqual(evaluateJsonata("$count($match(s, /a/))", { s }), { value: 60 });
  assert.deepEqual(evaluateJsonata("$replace(s, /a+!/, 'b')", { s }), { value: "b" });
});

test("evaluateJsonata: 10,000-deep nesting is a syntax error, not a crash of the module", () => {
  const forms = [["(", ")"], ["[", "]"], ["{'a':", "}"], ["$string(", ")"], ["-", ""], ["true ? ", " : 0"], ["a.(", ")"]];
  for (const [open, close] of forms) {
    for (const n of [300, 10000]) {
      const text = open.repeat(n) + "1" + close.repeat(n);
      assert.throws(() => evaluateJsonata(text), (e) => e.code === "S0201", `${open} x ${n}`);
    }
    // Nesting an expression really uses still works.
    const ok = open.repeat(20) + "1" + close.repeat(20);
    assert.ok(!("code" in evaluateJsonata(ok, { a: {} })), open);
  }
  assert.deepEqual(evaluateJsonata("1 + 1"), { value: 2 });
});
