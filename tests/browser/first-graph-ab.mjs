// Benchmark (prints figures, asserts nothing): first graph, A/B. `node first-graph-ab.mjs DIST...`
// loads each dist's page in a fresh browser context, alternating between them for 7 rounds (so
// the machine's load falls on all of them alike), and prints per dist the median and every time
// from navigation start to the first state node of the graph in the DOM (as stepper-bench's
// firstGraphMs, which loads once and is the first page of its browser, so it also pays cold start).
import { chromium } from 'playwright-core';
import { serveDir } from './server.mjs';
const dists = process.argv.slice(2);
const servers = await Promise.all(dists.map((d) => serveDir(d)));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const times = dists.map(() => []);
for (let round = 0; round < 7; round++) {
  for (let k = 0; k < dists.length; k++) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 } });
    const page = await ctx.newPage();
    await page.addInitScript(() => {
      new MutationObserver((_, obs) => {
        if (document.querySelector('[data-testid="graph"] .asl-node')) { window.__fg = performance.now(); obs.disconnect(); }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(servers[k].url);
    await page.waitForFunction(() => window.__fg !== undefined, null, { timeout: 60000 });
    times[k].push(await page.evaluate(() => window.__fg));
    await ctx.close();
  }
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
dists.forEach((d, k) => console.log(d, 'median', med(times[k]).toFixed(0), times[k].map((t) => t.toFixed(0)).join(' ')));
await browser.close();
process.exit(0);
