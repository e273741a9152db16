// What embedding costs a host page: bytes transferred and time to first graph, for
// (1) embed.js drawing a graph only, (2) embed.js with a stepper (data-input/-mocks/-step), and
// (3) the playground's ?embed mode in an iframe (the page the iframe loads).
// Not a test: it prints figures (median of RUNS cold loads, each in a fresh browser context;
// the local server sends no compression, gzip -9 sizes are computed beside the raw ones).
//
//   node tests/browser/embed-cost.mjs [DIST]      (after crates/asl-wasm/test.sh and trunk build)
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { launch } from './harness.mjs';
import { serveDir } from './server.mjs';
import { servePackage, videoExample, hostPage } from './wasm-package.mjs';

const RUNS = 5;
const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.argv[2] ?? path.join(here, '../../dist'));

// Records, from the first byte of the document, when the first graph's SVG is in the DOM.
const WATCH = () => {
  const seen = () => document.querySelector('figure.asl-diagram svg, [data-testid="graph"] svg');
  new MutationObserver((_, obs) => {
    if (seen() && !window.__firstGraph) { window.__firstGraph = performance.now(); obs.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
};

async function measure(browser, url) {
  const times = [];
  let files;
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.addInitScript(WATCH);
    const bodies = [];
    page.on('response', (r) => bodies.push(r.body().then((b) => ({ url: new URL(r.url()).pathname, raw: b.length, gzip: zlib.gzipSync(b, { level: 9 }).length })).catch(() => null)));
    await page.goto(url);
    await page.waitForFunction(() => window.__firstGraph, null, { timeout: 60000 });
    times.push(await page.evaluate(() => window.__firstGraph));
    files = (await Promise.all(bodies)).filter(Boolean);
    await context.close();
  }
  times.sort((a, b) => a - b);
  const sum = (k) => files.reduce((n, f) => n + f[k], 0);
  return { ms: times[Math.floor(RUNS / 2)], min: times[0], max: times.at(-1), raw: sum('raw'), gzip: sum('gzip'), files };
}

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
const ex = await videoExample();
const pkg = await servePackage({
  'graph.html': hostPage(ex.definition),
  'stepper.html': hostPage(ex.definition, { 'data-input': JSON.stringify(ex.input), 'data-mocks': JSON.stringify(ex.mocks), 'data-step': '6' }),
});
const app = await serveDir(dist);
const link = (await readFile(path.join(here, '../../web/embed-test.html'), 'utf8')).match(/#s=(v1\.[A-Za-z0-9_-]+)/)[1];
const browser = await launch();
try {
  const rows = [
    ['embed.js, graph only', await measure(browser, `${pkg.url}graph.html`)],
    ['embed.js, graph + stepper', await measure(browser, `${pkg.url}stepper.html`)],
    ['?embed iframe (the app)', await measure(browser, `${app.url}?embed&theme=light#s=${link}`)],
  ];
  console.log(`embed cost on a host page: the video pipeline example, median of ${RUNS} cold loads from 127.0.0.1 (load average ${os.loadavg()[0].toFixed(2)} on ${os.cpus().length} cores)`);
  for (const [name, r] of rows) {
    console.log(`  ${name.padEnd(28)} ${kb(r.raw).padStart(10)} raw, ${kb(r.gzip).padStart(9)} gzip -9   first graph ${r.ms.toFixed(0)} ms (${r.min.toFixed(0)}–${r.max.toFixed(0)})`);
    for (const f of r.files.sort((a, b) => b.raw - a.raw)) console.log(`      ${f.url.padEnd(40)} ${kb(f.raw).padStart(10)} ${kb(f.gzip).padStart(10)}`);
  }
} finally {
  await browser.close();
  await pkg.close();
  await app.close();
}
