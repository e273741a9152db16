// Profile (prints figures, asserts nothing): where a keystroke in the 200-state definition of
// typing-bench.mjs spends the renderer's main thread. `node typing-profile.mjs DIST [N]` traces N
// keystrokes (default 16) with Chromium's tracing and prints, per keystroke (medians), the main
// thread's CPU time (trace `tdur`, which machine load inflates far less than wall time) from the
// key event to the end of the next frame: all of it, the input handlers, layout, pre-paint, paint.
// TYPING_CSS='…' adds a stylesheet first (hide a pane to see what it costs); TYPING_BARE=1 types
// into a bare <textarea> holding the same text instead of the app (the floor).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { launch } from './harness.mjs';
import { serveDir } from './server.mjs';
import { definition } from './typing-definition.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const bare = process.env.TYPING_BARE === '1';
let dist = path.resolve(process.argv[2] ?? path.join(here, '../../dist'));
const n = Number(process.argv[3] ?? 16);
if (bare) {
  dist = await mkdtemp(path.join(os.tmpdir(), 'bare-'));
  await writeFile(path.join(dist, 'index.html'), `<!doctype html><style>body{margin:0;font:13px/20px monospace}
textarea{position:absolute;left:0;top:0;width:535px;height:600px;margin:0;padding:8px 12px;border:0;font:inherit;white-space:pre;resize:none}</style>
<textarea data-testid="definition-editor" wrap="off" spellcheck="false"></textarea>`);
}

const server = await serveDir(dist);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(server.url);
  const editor = '[data-testid="definition-editor"]';
  await page.waitForSelector(editor);
  const text = definition(200);
  await page.evaluate(([sel, t]) => { const a = document.querySelector(sel); a.value = t; a.dispatchEvent(new Event('input', { bubbles: true })); }, [editor, text]);
  if (!bare) await page.waitForFunction(() => document.querySelectorAll('[data-testid="graph"] .asl-node[data-state]').length === 202, null, { timeout: 60000 });
  if (process.env.TYPING_CSS) await page.addStyleTag({ content: process.env.TYPING_CSS });
  await page.focus(editor);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] } });
  let at = text.indexOf('"FunctionName": "f5"') + '"FunctionName": "f'.length;
  for (let i = 0; i < n; i++) {
    await page.evaluate(([sel, a]) => document.querySelector(sel).setSelectionRange(a, a), [editor, at]);
    await page.keyboard.type('x');
    at += 1;
    await page.waitForTimeout(350); // past the analysis debounce: its work is not the keystroke's
  }
  const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
  await cdp.send('Tracing.end');
  const { stream } = await done;
  let data = '';
  for (;;) { const r = await cdp.send('IO.read', { handle: stream }); data += r.data; if (r.eof) break; }
  const trace = JSON.parse(data);
  const events = (trace.traceEvents ?? trace).filter((e) => e.ph === 'X' && e.dur != null);
  const typed = events.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'textInput');
  const { tid, pid } = typed[0];
  const main = events.filter((e) => e.tid === tid && e.pid === pid).sort((a, b) => a.ts - b.ts);
  const tasks = main.filter((e) => e.name === 'RunTask');
  const inside = (outer, pred) => main.filter((e) => pred(e) && e.ts >= outer.ts && e.ts + e.dur <= outer.ts + outer.dur);
  const cpu = (es) => es.reduce((s, e) => s + (e.tdur ?? e.dur), 0) / 1000;
  // Outermost events of a name only (Paint nests in Paint).
  const outer = (es) => es.filter((e) => !es.some((o) => o !== e && o.ts <= e.ts && o.ts + o.dur >= e.ts + e.dur));
  const rows = [];
  for (const t of typed) {
    const key = tasks.find((k) => k.ts <= t.ts && k.ts + k.dur >= t.ts + t.dur);
    const frame = key && tasks.find((k) => k.ts > key.ts && inside(k, (e) => e.name === 'PrePaint').length);
    if (!frame) continue;
    const both = (name) => outer([...inside(key, (e) => e.name === name), ...inside(frame, (e) => e.name === name)]);
    rows.push({
      total: cpu(tasks.filter((k) => k.ts >= key.ts && k.ts <= frame.ts)),
      input: cpu(inside(key, (e) => e.name === 'EventDispatch' && e.args?.data?.type === 'input')),
      layout: cpu(both('Layout')), prepaint: cpu(both('PrePaint')), paint: cpu(both('Paint')),
      layout_objects: Math.max(...inside(key, (e) => e.name === 'Layout').map((e) => e.args?.beginData?.totalObjects ?? 0), 0),
    });
  }
  const med = (k) => { const s = rows.map((r) => r[k]).sort((a, b) => a - b); return +s[s.length >> 1].toFixed(2); };
  console.log(JSON.stringify({
    workload: bare ? 'bare textarea, def-200 text' : 'def-200 typing in the playground', css: process.env.TYPING_CSS ?? null, n: rows.length,
    main_thread_cpu_median_ms: Object.fromEntries(['total', 'input', 'layout', 'prepaint', 'paint'].map((k) => [k, med(k)])),
    layout_objects: med('layout_objects'), loadavg: os.loadavg().map((x) => +x.toFixed(2)),
  }));
} finally {
  await browser.close();
  await server.close();
}
