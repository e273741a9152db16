// embed.js under Node against the `--target web` package, with a minimal stand-in for the DOM
// (only what embed.js touches). Run by ../../test.sh, which sets ASL_WASM_WEB.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const pkg = process.env.ASL_WASM_WEB;
if (!pkg) throw new Error("set ASL_WASM_WEB to the wasm-bindgen --target web output with embed.js (see test.sh)");
const { embed, SELECTOR } = await import(`${pkg}/embed.js`);

class Element {
  constructor(doc, tag, attrs = {}, text = "") {
    Object.assign(this, { ownerDocument: doc, tagName: tag, attrs, textContent: text, className: attrs.class ?? "" });
    this.id = attrs.id ?? "";
    this.children = [];
    this.innerHTML = "";
  }
  getAttribute(name) { return name in this.attrs ? this.attrs[name] : null; }
  setAttribute(name, value) { this.attrs[name] = String(value); }
  addEventListener(type, fn) { (this.listeners ??= {})[type] = fn; }
  click() { if (!this.disabled) this.listeners?.click?.(); }
  // The SVG arrives as innerHTML, which this stand-in does not parse: no nodes to colour here
  // (the browser test checks the colouring).
  querySelectorAll() { return []; }
  append(...nodes) { for (const n of nodes) { n.parent = this; this.children.push(n); } }
  replaceWith(node) {
    const siblings = this.parent.children;
    siblings[siblings.indexOf(this)] = node;
    node.parent = this.parent;
  }
}

class Document {
  constructor() { this.body = new Element(this, "body"); }
  createElement(tag) { return new Element(this, tag); }
  querySelectorAll(selector) {
    assert.equal(selector, SELECTOR);
    const isBlock = (e) => (e.tagName === "pre" && e.className.split(" ").includes("asl"))
      || (e.tagName === "script" && e.attrs.type === "application/json" && "data-asl" in e.attrs);
    return this.body.children.filter(isBlock);
  }
}

const HELLO = '{"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Next": "World"}, "World": {"Type": "Succeed"}}}';

test("embed replaces <pre class=asl> and JSON script blocks with diagrams", async () => {
  const doc = new Document();
  const pre = new Element(doc, "pre", { class: "asl" }, HELLO);
  const script = new Element(doc, "script", { type: "application/json", "data-asl": "", "data-theme": "dark", id: "flow" }, HELLO);
  const other = new Element(doc, "pre", { class: "json" }, "{}");
  const broken = new Element(doc, "pre", { class: "asl" }, '{"StartAt": "Nowhere", "States": {}}');
  doc.body.append(pre, script, other, broken);

  // Graphs alone: the diagram build (asl-wasm without `run`).
  const wasm = readFileSync(`${pkg}/asl_diagram_bg.wasm`);
  const figures = await embed({ root: doc, theme: "light", wasm });
  assert.equal(figures.length, 3);
  assert.deepEqual(doc.body.children.map((e) => e.tagName), ["figure", "figure", "pre", "figure"]);
  assert.equal(doc.body.children[2], other, "other blocks are left alone");

  const [a, b, c] = figures;
  assert.equal(a.className, "asl-diagram");
  assert.ok(a.innerHTML.startsWith("<svg"));
  assert.ok(a.innerHTML.includes('data-state="Hello"') && a.innerHTML.includes('data-state="World"'));
  assert.ok(b.innerHTML.includes('id="flow'), "the block's id prefixes the SVG ids");
  assert.notEqual(a.innerHTML.replaceAll(/asl-embed-\d+/g, "flow"), b.innerHTML, "data-theme=dark wins over the page theme");
  assert.equal(c.className, "asl-diagram asl-invalid");
  assert.equal(c.children[0].textContent, '{"StartAt": "Nowhere", "States": {}}');
  assert.match(c.children[1].textContent, /^1:\d+: error\[[A-Z_]+\]: /);

  // A second call (new content) reuses the loaded module and gives fresh ids.
  const doc2 = new Document();
  doc2.body.append(new Element(doc2, "pre", { class: "asl" }, HELLO));
  const [again] = await embed({ root: doc2 });
  assert.ok(again.innerHTML.includes('data-state="Hello"'));
  assert.notEqual(again.innerHTML, a.innerHTML, "a different id prefix (and the auto theme)");
});

const TASK = JSON.stringify({
  StartAt: "Charge",
  States: {
    Charge: { Type: "Task", Resource: "arn:aws:states:::lambda:invoke", Next: "Done" },
    Done: { Type: "Succeed" },
  },
});

test("data-input, data-mocks and data-step add a stepper driven by the core's Execution", async () => {
  const doc = new Document();
  const stepped = new Element(doc, "pre", { class: "asl", "data-input": '{"x": 1}', "data-step": "2" }, HELLO);
  const plain = new Element(doc, "pre", { class: "asl" }, HELLO);
  const mocked = new Element(doc, "pre", { class: "asl", "data-mocks": '{"Charge": {"Return": {"Payload": "ok"}}}' }, TASK);
  const unmocked = new Element(doc, "pre", { class: "asl", "data-step": "0" }, TASK);
  const badInput = new Element(doc, "pre", { class: "asl", "data-input": "{nope" }, HELLO);
  doc.body.append(stepped, plain, mocked, unmocked, badInput);
  // Steppers: the full module (which draws too), loaded on this first need.
  const [a, b, c, d, e] = await embed({ root: doc, runWasm: readFileSync(`${pkg}/asl_wasm_bg.wasm`) });

  const bar = (f) => f.children.find((x) => x.className === "asl-steps");
  const button = (f, move) => bar(f).children.find((x) => x.getAttribute("data-move") === move);
  const counter = (f) => bar(f).children.find((x) => x.className === "asl-step-counter").textContent;
  const status = (f) => bar(f).children.find((x) => x.className.startsWith("asl-step-status")).textContent;

  assert.equal(a.className, "asl-diagram asl-stepper");
  assert.ok(a.innerHTML.includes('data-state="Hello"'), "the graph is drawn as before");
  const total = a.aslStepper.total;
  assert.ok(total >= 5, `a recorded run: ${total} events`);
  assert.equal(counter(a), `event 2 / ${total}`, "starts at data-step");
  assert.equal(a.getAttribute("data-event"), "2");
  button(a, "forward").click();
  assert.equal(counter(a), `event 3 / ${total}`);
  button(a, "back").click();
  button(a, "back").click();
  assert.equal(counter(a), `event 1 / ${total}`);
  button(a, "home").click();
  assert.equal(counter(a), `event 0 / ${total}`);
  assert.ok(button(a, "home").disabled && button(a, "back").disabled, "nothing before the start");
  button(a, "end").click();
  assert.equal(counter(a), `event ${total} / ${total}`);
  assert.equal(status(a), "SUCCEEDED");
  assert.ok(button(a, "forward").disabled && button(a, "end").disabled, "nothing after the end");
  assert.deepEqual(a.aslStepper.run.overlay().states.map((s) => [s.path, s.mark]), [["Hello", "succeeded"], ["World", "succeeded"]]);

  assert.equal(b.className, "asl-diagram", "no data-* attribute: graph only");
  assert.equal(bar(b), undefined);

  c.aslStepper.seek(c.aslStepper.total);
  assert.equal(status(c), "SUCCEEDED", "data-mocks answer the task");
  assert.deepEqual(c.aslStepper.run.status().output, { Payload: "ok" });
  d.aslStepper.seek(d.aslStepper.total);
  assert.equal(status(d), "PAUSED: no mock for Charge", "no mock: the run waits for the task, as in the playground");
  assert.ok(button(d, "forward").disabled, "nothing to step to");
  assert.equal(counter(d).startsWith("event 0"), false);

  assert.equal(e.className, "asl-diagram asl-invalid");
  assert.match(e.children.at(-1).textContent, /^stepper: data-input is not JSON/);
});
