// The stepper and inspector: stepping forward and back restores the same view, breakpoints stop
// on their state, the inspector shows each stage of a visit, the Map example's iteration picker
// follows one iteration, a task without a mock pauses and is answered from the page (and saved
// as a mock), and the keyboard drives it all.
import path from 'node:path';
import { test, assert, assertEq } from './harness.mjs';

const counter = async (page) => (await page.textContent('[data-testid="step-counter"]')).trim();
const eventNo = async (page) => Number((await counter(page)).match(/event (\d+)/)?.[1] ?? -1);
const press = async (page, key, n = 1) => { for (let i = 0; i < n; i++) await page.keyboard.press(key); };
const nodeClass = (page, state) => page.getAttribute(`[data-testid="graph"] .asl-node[data-state="${state}"]`, 'class');

async function ready(page) {
  await page.waitForSelector('[data-testid="graph"] svg');
  // Keys go to the page, not to an editor.
  await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
}

async function example(page, id) {
  await page.click('[data-testid="examples-button"]');
  await page.click(`[data-testid="example-${id}"]`);
  await ready(page);
}

test('→ starts the run; 10 events forward then 10 back leaves graph, inspector and history as they were', async ({ open, errors, artifacts }) => {
  const page = await open();
  await ready(page);
  assert(/not started/.test(await counter(page)), `before: ${await counter(page)}`);
  await press(page, 'ArrowRight');
  assertEq(await eventNo(page), 1, 'the first → starts the run and shows ExecutionStarted');
  await press(page, 'End');
  await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''));
  await press(page, 'Home');
  await press(page, 'ArrowRight', 6);
  await page.click('[data-testid="graph"] .asl-node[data-state="Validate"]');
  await page.click('[data-testid="tab-history"]');
  const snap = () => page.evaluate(() => ({
    graph: document.querySelector('[data-testid="graph"]').innerHTML,
    stepper: document.querySelector('[data-testid="step-counter"]').textContent,
    history: document.querySelector('[data-testid="history-panel"]').innerHTML,
  }));
  await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
  const before = await snap();
  await press(page, 'ArrowRight', 10);
  assertEq(await eventNo(page), 16, 'ten events on');
  const moved = await snap();
  assert(moved.graph !== before.graph, 'the graph changed while stepping');
  await press(page, 'ArrowLeft', 10);
  const after = await snap();
  assertEq(after.stepper, before.stepper, 'counter');
  assert(after.graph === before.graph, 'graph DOM identical after 10 forward + 10 back');
  assert(after.history === before.history, 'history DOM identical');
  await page.click('[data-testid="tab-inspect"]');
  const inspBefore = await page.innerHTML('[data-testid="inspect-panel"]');
  await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
  await press(page, 'ArrowRight', 10);
  await press(page, 'ArrowLeft', 10);
  assert(await page.innerHTML('[data-testid="inspect-panel"]') === inspBefore, 'inspector DOM identical');
  await page.screenshot({ path: path.join(artifacts, 'stepper.png') });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('a breakpoint (Shift+click) stops the run on its state', async ({ open }) => {
  const page = await open();
  await ready(page);
  await page.click('[data-testid="graph"] .asl-node[data-state="SaveMetadata"]', { modifiers: ['Shift'] });
  assert(/\bbp\b/.test(await nodeClass(page, 'SaveMetadata')), 'the node shows the breakpoint');
  await page.click('[data-testid="step-end"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="step-stop"]'));
  assert(/active/.test(await nodeClass(page, 'SaveMetadata')), `stopped on it: ${await nodeClass(page, 'SaveMetadata')}`);
  assert(/succeeded/.test(await nodeClass(page, 'Validate')), 'earlier states done');
  assert(/not-run/.test(await nodeClass(page, 'NotifyUser')), 'later states not run');
  // Running on from the breakpoint goes to the end.
  await page.click('[data-testid="step-end"]');
  await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''));
});

test('an error breakpoint stops where the error is raised', async ({ open }) => {
  const page = await open();
  await example(page, 'retry-backoff');
  await page.click('[data-testid="tab-inspect"]');
  await page.fill('[data-testid="error-breakpoints"]', 'States.ALL');
  await page.press('[data-testid="error-breakpoints"]', 'Enter');
  await page.click('[data-testid="step-end"]');
  await page.waitForFunction(() => !document.querySelector('[data-testid="step-stop"]'));
  await page.click('[data-testid="tab-history"]');
  const current = await page.textContent('[data-testid="history-row"].current [data-testid="history-type"]');
  assert(/Failed|TimedOut/.test(current), `stopped on a failure event: ${current}`);
});

test('the inspector shows Validate\'s stages: ResultSelector, then ResultPath under validation', async ({ open, artifacts }) => {
  const page = await open();
  await ready(page);
  await press(page, 'End');
  await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''));
  await page.click('[data-testid="graph"] .asl-node[data-state="Validate"]');
  await page.waitForSelector('[data-testid="visit-detail"]');
  const stage = async (name) => JSON.parse(await page.textContent(`[data-stage="${name}"] [data-testid="stage-value"]`));
  assertEq(await stage('afterResultSelector'), { valid: true, durationSeconds: 42 }, 'afterResultSelector');
  const rp = await stage('afterResultPath');
  assertEq(rp.validation, { valid: true, durationSeconds: 42 }, 'afterResultPath holds it under validation');
  assertEq(rp.key, 'videos/cat.mp4', 'and keeps the input');
  const names = await page.$$eval('[data-testid="stage"]', (ss) => ss.map((s) => s.dataset.stage));
  assertEq(names, ['input', 'afterInputPath', 'afterParameters', 'result', 'afterResultSelector', 'afterResultPath', 'output'], 'stage order');
  assert(await page.locator('[data-stage="afterResultPath"] .chg-added').count() > 0, 'the added key is highlighted');
  const ctx = JSON.parse(await page.textContent('[data-testid="context"]'));
  assertEq(ctx.State.Name, 'Validate', '$$ at the visit');
  assert(await page.isVisible('[data-testid="size-meter"]'), 'output size meter');
  await page.screenshot({ path: path.join(artifacts, 'inspector.png') });
  // Clicking a History row of another state inspects that state's visit and moves the cursor.
  await page.click('[data-testid="tab-history"]');
  // The History draws a window of rows around its scroll position, and when the window moves a
  // row element is reused for the event that lands in its place. Clicking a row found before it
  // was scrolled into view could therefore click another event (the scroll's redraw came between
  // finding the element and clicking it: seen under load, and 4 times in 8 with the CPU slowed
  // 6x). So the row is scrolled into view first, the redraw awaited (the scroll event comes in
  // the next frame, before its animation-frame callbacks), and the row clicked by its event id.
  const id = await page.$$eval('[data-testid="history-row"]', (rows) => Number(rows.find((r) => r.textContent.includes('Thumbnails')).dataset.event));
  const row = `[data-testid="history-row"][data-event="${id}"]`;
  await page.$eval(row, (r) => new Promise((done) => {
    r.scrollIntoView({ block: 'center' });
    requestAnimationFrame(() => requestAnimationFrame(done));
  }));
  await page.click(row);
  assertEq(await eventNo(page), id, 'the cursor follows the row');
  await page.click('[data-testid="tab-inspect"]');
  assertEq(await page.getAttribute('[data-testid="inspect-state"]', 'data-state'), 'Process/1/Thumbnails', 'inspects its state');
});

test('the Map example: progress counts and the iteration picker follows one iteration', async ({ open, artifacts }) => {
  const page = await open();
  await example(page, 'map');
  await press(page, 'End');
  await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''));
  assert(/3\/3 done/.test(await page.textContent('[data-testid="map-progress"]')), await page.textContent('[data-testid="map-progress"]'));
  // Go back to where iteration 0 has run but iteration 2 has not started.
  await page.click('[data-testid="tab-history"]');
  const rows = await page.$$eval('[data-testid="history-row"]', (rs) => rs.map((r) => [Number(r.dataset.event), r.textContent]));
  const firstIterDone = rows.find(([, t]) => /MapIterationSucceeded/.test(t))[0];
  await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
  await press(page, 'Home');
  await press(page, 'ArrowRight', firstIterDone);
  assert(/succeeded/.test(await nodeClass(page, 'PriceItems/0/Reserve')), 'all iterations: Reserve has run');
  await page.selectOption('[data-testid="follow-iteration"]', '2');
  assert(/not-run/.test(await nodeClass(page, 'PriceItems/0/Reserve')), 'following iteration 2: not there yet');
  await page.selectOption('[data-testid="follow-iteration"]', '0');
  assert(/succeeded/.test(await nodeClass(page, 'PriceItems/0/LineTotal')), 'following iteration 0: its path is done');
  await page.click('[data-testid="graph"] .asl-node[data-state="PriceItems/0/LineTotal"]');
  const chips = await page.$$eval('[data-testid="visit-chip"]', (cs) => cs.map((c) => c.textContent));
  assert(chips.some((c) => /iteration 0/.test(c)), `visits by iteration: ${chips}`);
  await page.screenshot({ path: path.join(artifacts, 'map-iteration.png') });
});

test('a task without a mock pauses; the answer finishes the run and is saved as a mock', async ({ open, artifacts }) => {
  const page = await open();
  await ready(page);
  // Mocks for every task but Validate.
  await page.click('[data-testid="tab-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  const mocks = JSON.parse(await page.inputValue('[data-testid="mocks-editor"]'));
  delete mocks.Validate;
  await page.fill('[data-testid="mocks-editor"]', JSON.stringify(mocks));
  await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
  await press(page, 'End');
  await page.click('[data-testid="tab-inspect"]');
  await page.waitForSelector('[data-testid="paused-task"][data-state="Validate"]');
  const request = JSON.parse(await page.textContent('[data-testid="paused-request"]'));
  assertEq(request.Payload, { bucket: 'uploads', key: 'videos/cat.mp4' }, 'the request it would send');
  await page.screenshot({ path: path.join(artifacts, 'paused-task.png') });
  await page.fill('[data-testid="answer-result"]', '{"Payload": {"valid": true, "durationSeconds": 7}}');
  await page.check('[data-testid="save-as-mock"]');
  await page.click('[data-testid="answer-return"]');
  await page.click('[data-testid="step-end"]');
  await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''));
  await page.click('[data-testid="tab-output"]');
  const out = JSON.parse(await page.textContent('[data-testid="run-output"]'));
  assertEq(out.validation, { valid: true, durationSeconds: 7 }, 'the answer is in the output');
  await page.click('[data-testid="tab-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  assert(/"Validate"/.test(await page.inputValue('[data-testid="mocks-editor"]')), 'saved as a mock');
  // The next run does not pause.
  await page.click('[data-testid="run-button"]');
  await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''));
});

test('the keyboard drives it: → ← Shift+→ Shift+← Home End Space', async ({ open }) => {
  const page = await open();
  await ready(page);
  await press(page, 'ArrowRight', 3);
  assertEq(await eventNo(page), 3, '→ ×3');
  await press(page, 'ArrowLeft');
  assertEq(await eventNo(page), 2, '←');
  await press(page, 'Shift+ArrowRight');
  const atState = await eventNo(page);
  await page.click('[data-testid="tab-history"]');
  assert(/StateEntered/.test(await page.textContent('[data-testid="history-row"].current')), 'Shift+→ lands on a state entry');
  await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
  await press(page, 'Shift+ArrowRight');
  assert(await eventNo(page) > atState, 'Shift+→ again moves on');
  await press(page, 'Shift+ArrowLeft');
  assertEq(await eventNo(page), atState, 'Shift+← back to the previous entry');
  await press(page, 'End');
  await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''));
  const end = await eventNo(page);
  await press(page, 'Home');
  assertEq(await eventNo(page), 0, 'Home');
  // 30 events/s: slow enough that the pause lands part-way even on a loaded machine.
  await page.selectOption('[data-testid="step-speed"]', '30');
  await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
  await press(page, ' ');
  await page.waitForFunction(() => /event ([1-9]\d*)/.test(document.querySelector('[data-testid="step-counter"]').textContent));
  await press(page, ' ');
  const paused = await eventNo(page);
  await page.waitForTimeout(150);
  assertEq(await eventNo(page), paused, 'Space pauses');
  assert(paused > 0 && paused < end, `played part-way: ${paused} of ${end}`);
});

test('every gallery example steps to its end and every state can be inspected', async ({ open, errors }) => {
  const page = await open();
  await ready(page);
  await page.click('[data-testid="examples-button"]');
  const ids = await page.$$eval('[data-testid^="example-"]', (cs) => cs.map((c) => c.dataset.testid.slice('example-'.length)).filter((id) => id !== 'name'));
  await page.keyboard.press('Escape');
  assert(ids.length >= 8, `examples: ${ids}`);
  for (const id of ids) {
    // Wait for the new definition's (debounced) analysis, which draws its graph once more.
    const analyzed = await page.evaluate(() => Number(document.body.dataset.analyzeCount ?? 0));
    await example(page, id);
    await page.waitForFunction((n) => Number(document.body.dataset.analyzeCount ?? 0) > n, analyzed).catch(() => {});
    await press(page, 'Shift+ArrowRight');
    await press(page, 'End');
    await page.waitForFunction(() => !document.querySelector('[data-testid="step-stop"]'), null, { timeout: 60000 });
    assert(await eventNo(page) > 0, `${id}: it ran`);
    const nodes = await page.$$eval('[data-testid="graph"] .asl-node[data-state]', (ns) => ns.map((n) => [n.dataset.state, n.dataset.kind]));
    for (const [state, kind] of nodes) {
      // A Parallel's or Map's centre is one of its children: click its header instead.
      const at = kind === 'Parallel' || kind === 'Map' ? { position: { x: 20, y: 8 } } : {};
      await page.click(`[data-testid="graph"] .asl-node[data-state="${state}"]`, at);
      await page.waitForSelector(`[data-testid="inspect-state"][data-state="${state}"]`);
      assert(await page.locator('[data-testid="visit-detail"], [data-testid="no-visits"]').count() === 1, `${id}/${state}: a visit or "not visited"`);
    }
    await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
  }
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});
