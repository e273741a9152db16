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

  const wasm = readFileSync(`${pkg}/asl_wasm_bg.wasm`);
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
