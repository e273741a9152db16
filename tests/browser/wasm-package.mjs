// Serves asl-wasm's `--target web` package (asl_wasm.js, asl_wasm_bg.wasm, embed.js: built by
// crates/asl-wasm/test.sh into $CARGO_TARGET_DIR/asl-wasm-web, which scripts/test runs before the
// browser tests) beside a host page, as a documentation site would: a temporary copy, served on
// 127.0.0.1. Used by embedjs.test.mjs and embed-cost.mjs.
import { cp, mkdtemp, rm, writeFile, access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDir } from './server.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PACKAGE = path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'asl-wasm-web');

/** Serves `pages` ({'index.html': html, …}) next to the package under /asl-wasm/; returns {url, close}. */
export async function servePackage(pages) {
  try {
    await access(path.join(PACKAGE, 'embed.js'));
  } catch {
    throw new Error(`no asl-wasm web package at ${PACKAGE}: build it with crates/asl-wasm/test.sh`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'asl-embed-'));
  await cp(PACKAGE, path.join(dir, 'asl-wasm'), { recursive: true });
  for (const [name, html] of Object.entries(pages)) await writeFile(path.join(dir, name), html);
  const server = await serveDir(dir);
  return {
    url: server.url,
    close: async () => { await server.close(); await rm(dir, { recursive: true, force: true }); },
  };
}

/** The video pipeline example as a documentation page would hold it. */
export async function videoExample() {
  const { readFile } = await import('node:fs/promises');
  return JSON.parse(await readFile(path.join(ROOT, 'web/examples/video-pipeline.json'), 'utf8'));
}

const esc = (s) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll("'", '&#39;');

/** A host page with one <pre class="asl"> block (attributes optional) and the embed script. */
export function hostPage(definition, attrs = {}) {
  const a = Object.entries(attrs).map(([k, v]) => ` ${k}='${esc(v)}'`).join('');
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>docs</title>
<h1>Our workflow</h1>
<pre class="asl"${a}>${esc(JSON.stringify(definition, null, 2))}</pre>
<script type="module">
  import { embed } from "./asl-wasm/embed.js";
  const figures = await embed({ theme: "light" });
  document.body.dataset.embedded = String(figures.length);
</script></html>`;
}
