// embed.js in a real page: a <pre class="asl"> with data-input, data-mocks and data-step becomes
// a graph with a stepper; its buttons move the core's execution and colour the SVG's states
// and the edges taken. The package is asl-wasm's web build (see wasm-package.mjs).
import { test, assert, assertEq } from './harness.mjs';
import { servePackage, videoExample, hostPage } from './wasm-package.mjs';

test('embed.js: a page of graphs alone loads the diagram build, never the executor', async ({ open, context, errors }) => {
  const ex = await videoExample();
  const server = await servePackage({ 'index.html': hostPage(ex.definition) });
  try {
    const wasm = [];
    context.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
    const page = await open(server.url);
    await page.waitForSelector('figure.asl-diagram svg .asl-node[data-state="Validate"]');
    assertEq(wasm, ['/asl-wasm/asl_diagram_bg.wasm'], 'only the diagram wasm');
    assert(!(await page.$('.asl-steps')), 'no stepper');
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  } finally {
    await server.close();
  }
});

test('embed.js: data-input/data-mocks/data-step give a stepper that colours the graph', async ({ open, context, errors }) => {
  const ex = await videoExample();
  const server = await servePackage({
    'index.html': hostPage(ex.definition, {
      'data-input': JSON.stringify(ex.input), 'data-mocks': JSON.stringify(ex.mocks), 'data-step': '6',
    }),
  });
  try {
    const wasm = [];
    context.on('request', (r) => { if (r.url().endsWith('.wasm')) wasm.push(new URL(r.url()).pathname); });
    const page = await open(server.url);
    await page.waitForSelector('figure.asl-stepper svg');
    assertEq(wasm, ['/asl-wasm/asl_wasm_bg.wasm'], 'the full module alone (it draws too)');
    const counter = () => page.textContent('.asl-step-counter');
    const cls = (state) => page.getAttribute(`figure .asl-node[data-state="${state}"]`, 'class');
    const total = Number((await counter()).match(/\/ (\d+)/)[1]);
    assert(total > 10, `recorded ${total} events`);
    assertEq(await counter(), `event 6 / ${total}`, 'starts at data-step');
    assert(/succeeded/.test(await cls('Validate')), `Validate done at event 6: ${await cls('Validate')}`);
    assert(/not-run/.test(await cls('NotifyUser')), 'NotifyUser not yet');
    await page.click('[data-move="end"]');
    assertEq(await counter(), `event ${total} / ${total}`, 'to the end');
    assertEq(await page.textContent('.asl-step-status'), 'SUCCEEDED', 'status');
    assert(/succeeded/.test(await cls('NotifyUser')), 'NotifyUser done at the end');
    assert(await page.$('figure .asl-edge.taken'), 'edges taken are marked');
    await page.click('[data-move="home"]');
    assertEq(await counter(), `event 0 / ${total}`, 'back to the start');
    assert(!/succeeded|not-run/.test(await cls('Validate')), 'nothing coloured before the run');
    await page.click('[data-move="forward"]');
    await page.click('[data-move="forward"]');
    assertEq(await counter(), `event 2 / ${total}`, 'forward twice');
    assert(/active/.test(await cls('Validate')), `Validate entered: ${await cls('Validate')}`);
    await page.click('[data-move="back"]');
    assertEq(await counter(), `event 1 / ${total}`, 'back once');
    assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
  } finally {
    await server.close();
  }
});
