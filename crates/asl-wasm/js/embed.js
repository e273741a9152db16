// embed.js: live ASL diagrams in documentation pages (ships beside the `--target web` package).
//
//   <pre class="asl">{ "StartAt": "Hello", "States": { … } }</pre>
//   <script type="application/json" data-asl data-theme="dark">{ … }</script>
//   <script type="module">
//     import { embed } from "./asl-wasm/embed.js";
//     embed(); // { root?, theme?: "light" | "dark" | "auto", wasm? }
//   </script>
//
// Each block is replaced by <figure class="asl-diagram"> holding the SVG from `render` (nodes carry
// data-state="<state path>" for styling or scripting). A block with errors becomes
// <figure class="asl-diagram asl-invalid"> showing the source and the diagnostics, so a broken
// example is visible in the docs rather than silently missing. All semantics are in the wasm.

import init, { render } from "./asl_wasm.js";

/** The blocks `embed` replaces. */
export const SELECTOR = 'pre.asl, script[type="application/json"][data-asl]';

let ready;
let count = 0;

/** Loads the wasm once, then replaces every block under `root`; resolves to the new figures. */
export async function embed({ root = globalThis.document, theme = "auto", wasm } = {}) {
  ready ??= init(wasm === undefined ? undefined : { module_or_path: wasm });
  await ready;
  return embedWith(render, root, { theme });
}

/** The DOM work of `embed`, given a `render` function (exported for tests and custom loaders). */
export function embedWith(renderFn, root, { theme = "auto" } = {}) {
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
