// embed.js: live ASL diagrams in documentation pages (ships beside the `--target web` package).
//
//   <pre class="asl">{ "StartAt": "Hello", "States": { … } }</pre>
//   <script type="application/json" data-asl data-theme="dark">{ … }</script>
//   <pre class="asl" data-input='{"amount": 5}' data-mocks='{"Charge": {"Return": "ok"}}' data-step="3">…</pre>
//   <script type="module">
//     import { embed } from "./asl-wasm/embed.js";
//     embed(); // { root?, theme?: "light" | "dark" | "auto", wasm?, runWasm? }
//   </script>
//
// Each block is replaced by <figure class="asl-diagram"> holding the SVG from `render` (nodes carry
// data-state="<state path>" for styling or scripting). A block with errors becomes
// <figure class="asl-diagram asl-invalid"> showing the source and the diagnostics, so a broken
// example is visible in the docs rather than silently missing. All semantics are in the wasm.
//
// A block with `data-input`, `data-mocks` or `data-step` also gets a stepper under its graph
// (<figure class="asl-diagram asl-stepper">): buttons to the start, back, forward and to the end,
// the event counter and the run's status. The execution is the core's `Execution` (input and
// mocks as JSON, started at event `data-step`); each move colours the SVG's data-state nodes and
// the edges taken from `Execution.overlay()`, with the classes the SVG already styles.
//
// A page of graphs alone loads the diagram build (`asl_diagram.js`: asl-wasm without its `run`
// feature, so parse, validate and render only); a page with a stepper loads the full module
// (`asl_wasm.js`, the executor and JSONata) instead, which draws too. A page never downloads
// both, and never the playground's editor.

import initDiagram, { render } from "./asl_diagram.js";

/** The blocks `embed` replaces. */
export const SELECTOR = 'pre.asl, script[type="application/json"][data-asl]';

/** Any of these attributes on a block asks for a stepper. */
export const STEPPER_ATTRIBUTES = ["data-input", "data-mocks", "data-step"];

/** Events a stepper records ahead (the counter's total); a longer run goes on as it is stepped. */
const RECORD_BUDGET = 10000;

/** The buttons' pictures (inline: no font has every media-control glyph). */
const ICONS = {
  home: "M5 5v14M19 5 9 12l10 7z",
  back: "M17 5 7 12l10 7z",
  forward: "M7 5l10 7-10 7z",
  end: "M5 5l10 7-10 7zM19 5v14",
};

/** A default look for the stepper bar, added once per document before the page's own styles
 * (a page overrides any of it with its own rules for these classes). */
const STYLE = `.asl-steps{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:6px 0 0;font:13px/1.4 system-ui,sans-serif}
.asl-step{display:inline-grid;place-items:center;width:30px;height:26px;padding:0;border:1px solid #c9ced8;border-radius:6px;background:#fff;color:#1d2330;cursor:pointer}
.asl-step:disabled{opacity:.4;cursor:default}.asl-step svg{width:13px;height:13px}
.asl-step-counter{margin-left:6px;font-variant-numeric:tabular-nums}.asl-step-status{font-weight:600}
.asl-status-succeeded{color:#15803d}.asl-status-failed,.asl-status-timed_out{color:#b91c1c}.asl-status-paused{color:#b45309}`;

function addStyle(doc) {
  if (!doc.head || doc.querySelector?.("style[data-asl-embed]")) return;
  const style = doc.createElement("style");
  style.setAttribute("data-asl-embed", "");
  style.textContent = STYLE;
  doc.head.prepend(style);
}

/** The overlay's classes on a node (asl-graph's SVG styles them). */
const MARKS = ["not-run", "active", "succeeded", "failed", "caught", "retrying"];

let diagramReady;
let runReady;
let count = 0;

/** The full module (render and `Execution`), loaded and instantiated once, on first need. */
function loadFull(runWasm) {
  runReady ??= import("./asl_wasm.js").then(async (m) => {
    await m.default(runWasm === undefined ? undefined : { module_or_path: runWasm });
    return m;
  });
  return runReady;
}

/** Loads one wasm, then replaces every block under `root`; resolves to the new figures: the
 * diagram build when every block is a graph alone, else the full module, which draws too (so a
 * page never downloads both). `wasm` and `runWasm` override where each `.wasm` is fetched from. */
export async function embed({ root = globalThis.document, theme = "auto", wasm, runWasm } = {}) {
  const steppers = Array.from(root.querySelectorAll(SELECTOR))
    .some((block) => STEPPER_ATTRIBUTES.some((a) => block.getAttribute(a) !== null));
  if (steppers || runReady) {
    const full = await loadFull(runWasm);
    return embedWith(full.render, root, { theme, Execution: full.Execution });
  }
  diagramReady ??= initDiagram(wasm === undefined ? undefined : { module_or_path: wasm });
  await diagramReady;
  return embedWith(render, root, { theme });
}

/** The DOM work of `embed`, given a `render` function and, for steppers, the `Execution` class
 * (exported for tests and custom loaders). */
export function embedWith(renderFn, root, { theme = "auto", Execution } = {}) {
  const doc = root.ownerDocument ?? root;
  return Array.from(root.querySelectorAll(SELECTOR), (block) => {
    const text = block.textContent;
    const figure = doc.createElement("figure");
    figure.className = "asl-diagram";
    // Unique ids per diagram: two embeds of one definition must not share SVG ids or CSS scope.
    const idPrefix = block.id || `asl-embed-${++count}`;
    let result;
    try {
      result = renderFn(text, { theme: block.getAttribute("data-theme") ?? theme, idPrefix });
    } catch (e) {
      result = { svg: null, diagnostics: [{ line: 1, column: 1, severity: "error", code: "EMBED", message: e.message }] };
    }
    if (result.svg) {
      figure.innerHTML = result.svg;
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      if (errors.length) {
        // Drawn as far as it could be read; say what is wrong under it.
        figure.className += " asl-invalid";
        const problems = doc.createElement("pre");
        problems.className = "asl-diagnostics";
        problems.textContent = errors.map((d) => `${d.line}:${d.column}: error[${d.code}]: ${d.message}`).join("\n");
        figure.append(problems);
      } else if (Execution && STEPPER_ATTRIBUTES.some((a) => block.getAttribute(a) !== null)) {
        attachStepper(figure, text, block, Execution);
      }
    } else {
      figure.className += " asl-invalid";
      const source = doc.createElement("pre");
      source.textContent = text;
      const problems = doc.createElement("pre");
      problems.className = "asl-diagnostics";
      problems.textContent = result.diagnostics
        .map((d) => `${d.line}:${d.column}: ${d.severity}[${d.code}]: ${d.message}`)
        .join("\n");
      figure.append(source, problems);
    }
    block.replaceWith(figure);
    return figure;
  });
}

/** A block attribute as JSON (`fallback` when absent); throws a message naming the attribute. */
function jsonAttribute(block, name, fallback) {
  const raw = block.getAttribute(name);
  if (raw === null || raw.trim() === "") return fallback;
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new Error(`${name} is not JSON: ${e.message}`);
  }
}

/**
 * Puts a stepper under a drawn figure: runs the definition with the block's input and mocks
 * (recording up to RECORD_BUDGET events), seeks to `data-step`, and repaints on every move.
 * Returns the controller (also on `figure.aslStepper`): `{ run, total, event(), seek(n),
 * step(), back() }`, or null when the run cannot start (the reason is shown under the graph).
 */
export function attachStepper(figure, text, block, Execution) {
  const doc = figure.ownerDocument;
  let run;
  let total;
  // The status where the recording ends (a pause for a task shows only when a step is tried).
  let end;
  try {
    const input = jsonAttribute(block, "data-input", {});
    const mocks = jsonAttribute(block, "data-mocks", undefined);
    run = Execution.start(text, input, mocks === undefined ? {} : { mocks });
    end = run.run(RECORD_BUDGET);
    total = run.eventCount();
    const step = Number(block.getAttribute("data-step") ?? 0);
    run.seek(Number.isInteger(step) && step >= 0 ? Math.min(step, total) : 0);
  } catch (e) {
    figure.className += " asl-invalid";
    const problem = doc.createElement("pre");
    problem.className = "asl-diagnostics";
    problem.textContent = `stepper: ${e.message}`;
    figure.append(problem);
    return null;
  }
  figure.className += " asl-stepper";
  addStyle(doc);

  const bar = doc.createElement("div");
  bar.className = "asl-steps";
  bar.setAttribute("role", "toolbar");
  bar.setAttribute("aria-label", "Step through the execution");
  const counter = doc.createElement("span");
  counter.className = "asl-step-counter";
  const status = doc.createElement("span");
  status.className = "asl-step-status";

  const event = () => run.eventCount();
  const controller = {
    run,
    get total() { return total; },
    event,
    seek(n) { run.seek(Math.max(0, Math.min(n, total))); paint(); },
    step() {
      const at = event();
      if (run.step() !== null && event() > total) total = event();
      if (at >= total) end = run.status();
      paint();
    },
    back() { run.back(); paint(); },
  };
  const buttons = [
    ["home", "Back to the start", () => controller.seek(0), () => event() === 0],
    ["back", "Back one event", () => controller.back(), () => event() === 0],
    ["forward", "Forward one event", () => controller.step(), () => event() >= total && end.status !== "RUNNING"],
    ["end", "To the end of the recorded run", () => controller.seek(total), () => event() >= total],
  ].map(([move, title, act, off]) => {
    const b = doc.createElement("button");
    b.type = "button";
    b.className = "asl-step";
    b.setAttribute("data-move", move);
    b.setAttribute("title", title);
    b.setAttribute("aria-label", title);
    b.innerHTML = `<svg viewBox="0 0 24 24" aria-hidden="true"><path d="${ICONS[move]}" fill="currentColor" stroke="currentColor" stroke-width="1.6" stroke-linejoin="round"/></svg>`;
    b.addEventListener("click", act);
    return [b, off];
  });
  bar.append(...buttons.map(([b]) => b), counter, status);
  figure.append(bar);

  function paint() {
    const overlay = run.overlay();
    const marks = new Map(overlay.states.map((s) => [s.path, s.mark]));
    const taken = new Set(overlay.edges.map((e) => `${e.from}\u0000${e.to}`));
    const started = event() > 0;
    for (const node of figure.querySelectorAll(".asl-node[data-state]")) {
      node.classList.remove(...MARKS);
      const mark = marks.get(node.getAttribute("data-state"));
      if (mark) node.classList.add(mark);
      else if (started) node.classList.add("not-run");
    }
    for (const edge of figure.querySelectorAll(".asl-edge[data-from][data-to]")) {
      edge.classList.toggle("taken", taken.has(`${edge.getAttribute("data-from")}\u0000${edge.getAttribute("data-to")}`));
    }
    counter.textContent = `event ${event()} / ${total}`;
    const s = event() >= total ? end : run.status();
    // A run waiting for a task without a mock says which (as the playground does).
    status.textContent = !started ? "" : s.status === "PAUSED" ? `PAUSED: no mock for ${s.tasks.map((t) => t.state).join(", ")}` : s.status;
    status.className = `asl-step-status asl-status-${s.status.toLowerCase()}`;
    for (const [b, off] of buttons) b.disabled = off();
    figure.setAttribute("data-event", String(event()));
  }
  paint();
  figure.aslStepper = controller;
  return controller;
}
