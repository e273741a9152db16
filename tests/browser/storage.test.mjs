// Nothing lost: storage that is disabled or full is reported and the page keeps working; two tabs
// of one session never overwrite each other's text silently.
import path from 'node:path';
import { test, assert, assertEq } from './harness.mjs';

const editor = '[data-testid="definition-editor"]';
const KEY = 'asl-playground.definition';
const def = (comment) => JSON.stringify({ Comment: comment, StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } }, null, 2);

async function runAndWait(page) {
  await page.click('[data-testid="run-button"]');
  await page.waitForSelector('[data-testid="output-panel"] [data-testid="run-status"]');
  return (await page.textContent('[data-testid="run-status"]')).trim();
}

test('localStorage disabled: the page says so and keeps working', async ({ context, baseUrl, errors, artifacts }) => {
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(baseUrl);
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.waitForSelector('[data-testid="storage-notice"][data-health="Unavailable"]');
  assert((await page.textContent('[data-testid="storage-notice"]')).includes('only while this tab is open'), 'the notice says what it means');
  await page.fill(editor, def('no storage'));
  assertEq(await runAndWait(page), 'SUCCEEDED', 'a run without storage');
  await page.screenshot({ path: path.join(artifacts, 'storage-disabled.png') });
  await page.click('[data-testid="storage-notice"] button');
  assertEq(await page.$$eval('[data-testid="storage-notice"]', (n) => n.length), 0, 'the notice can be dismissed');
  assertEq(errors, [], 'page errors');
});

test('localStorage full: the page says the latest changes are not saved, and keeps working', async ({ context, baseUrl, errors }) => {
  await context.addInitScript(() => {
    const set = Storage.prototype.setItem;
    Storage.prototype.setItem = function (k, v) {
      if (window.__full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return set.call(this, k, v);
    };
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(baseUrl);
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.fill(editor, def('saved'));
  // Saved once typing pauses (web/src/app.rs, SAVE_DELAY).
  await page.waitForFunction(([k, t]) => localStorage.getItem(k) === t, [KEY, def('saved')]);
  assertEq(await page.$$eval('[data-testid="storage-notice"]', (n) => n.length), 0, 'no notice while saving works');
  await page.evaluate(() => { window.__full = true; });
  await page.fill(editor, def('too big to save'));
  await page.waitForSelector('[data-testid="storage-notice"][data-health="Full"]');
  assert((await page.textContent('[data-testid="storage-notice"]')).includes('not saved'), 'the notice says the changes are not saved');
  assertEq(await page.evaluate((k) => localStorage.getItem(k), KEY), def('saved'), 'the last saved text is intact');
  assertEq(await runAndWait(page), 'SUCCEEDED', 'a run with full storage');
  // Room again: the next edit is saved and the notice goes.
  await page.evaluate(() => { window.__full = false; });
  await page.fill(editor, def('saved again'));
  await page.waitForSelector('[data-testid="storage-notice"]', { state: 'detached' });
  assertEq(await page.evaluate((k) => localStorage.getItem(k), KEY), def('saved again'), 'saved once there is room');
  assertEq(errors, [], 'page errors');
});

test('two tabs of one session: each follows the other, and neither overwrites the other silently', async ({ context, baseUrl, artifacts }) => {
  const a = await context.newPage();
  await a.goto(baseUrl);
  await a.waitForSelector(editor);
  const b = await context.newPage();
  // A switch to make B miss storage events, registered before the app's listener (on window,
  // listeners run in registration order).
  await b.addInitScript(() => {
    addEventListener('storage', (e) => { if (window.__deaf) e.stopImmediatePropagation(); });
  });
  await b.goto(baseUrl);
  await b.waitForSelector(editor);
  const text = (p) => p.inputValue(editor);
  const stored = () => a.evaluate((k) => localStorage.getItem(k), KEY);

  // A edits; B had nothing of its own, so it follows and says so.
  await a.fill(editor, def('from A'));
  await b.waitForSelector('[data-testid="tab-followed"]');
  assertEq(await text(b), def('from A'), 'B follows A');
  // And the other way round.
  await b.fill(editor, def('from B'));
  await a.waitForFunction((t) => document.querySelector('[data-testid="definition-editor"]').value === t, def('from B'));

  // B misses A's next write (a tab the browser froze gets no storage event), then edits its own.
  await b.evaluate(() => { window.__deaf = true; });
  await a.fill(editor, def('A, unseen by B'));
  await a.waitForFunction(([k, t]) => localStorage.getItem(k) === t, [KEY, def('A, unseen by B')]);
  assertEq(await text(b), def('from B'), 'B did not hear');
  await b.fill(editor, def('B edits on'));
  // B must not overwrite A's text: it holds its own and asks.
  await b.waitForSelector('[data-testid="tab-conflict"]');
  assertEq(await stored(), def('A, unseen by B'), 'A\'s text is still what is saved');
  assertEq(await text(b), def('B edits on'), 'B keeps its own text on screen');
  await b.fill(editor, def('B edits on and on'));
  await b.waitForTimeout(100);
  assertEq(await stored(), def('A, unseen by B'), 'B still does not save while the choice is pending');
  await b.screenshot({ path: path.join(artifacts, 'tab-conflict.png') });
  // Keep mine: B's text is saved, and A (which had nothing newer) follows.
  await b.click('[data-testid="keep-mine"]');
  assertEq(await stored(), def('B edits on and on'), 'keep mine saves B\'s text');
  await a.waitForFunction((t) => document.querySelector('[data-testid="definition-editor"]').value === t, def('B edits on and on'));
  assertEq(await b.$$eval('[data-testid="tab-conflict"]', (n) => n.length), 0, 'the choice is gone');

  // Again, and this time B loads A's text.
  await a.fill(editor, def('A again'));
  await a.waitForFunction(([k, t]) => localStorage.getItem(k) === t, [KEY, def('A again')]);
  await b.fill(editor, def('B again'));
  await b.waitForSelector('[data-testid="tab-conflict"]');
  assertEq(await stored(), def('A again'), 'A\'s text is kept');
  // Load theirs: B shows A's text; nothing more to choose.
  await b.click('[data-testid="load-theirs"]');
  assertEq(await text(b), def('A again'), 'load theirs shows A\'s text');
  assertEq(await stored(), def('A again'), 'and it stays saved');
  assertEq(await b.$$eval('[data-testid="tab-conflict"]', (n) => n.length), 0, 'the choice is gone');
  // B hears again: its next edit is saved, and A follows.
  await b.evaluate(() => { window.__deaf = false; });
  await b.fill(editor, def('B after loading'));
  await a.waitForFunction((t) => document.querySelector('[data-testid="definition-editor"]').value === t, def('B after loading'));
});

test('what was typed survives a reload or a closed tab at once, before the save that waits for a pause', async ({ context, baseUrl, errors }) => {
  const stored = (p) => p.evaluate((k) => localStorage.getItem(k), KEY);
  // Timers of 250 ms and more never fire: the save that waits for typing to pause (300 ms) does
  // not happen, so only the save on leaving the page can keep the text. (The analysis's 200 ms
  // debounce still runs.)
  const holdSaves = (p) => p.evaluate(() => {
    const set = window.setTimeout;
    window.setTimeout = (f, ms, ...rest) => (ms >= 250 ? 0 : set(f, ms, ...rest));
  });
  let page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(baseUrl);
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.fill(editor, def('saved'));
  await page.waitForFunction(([k, t]) => localStorage.getItem(k) === t, [KEY, def('saved')]);

  // Typed, then reloaded.
  await holdSaves(page);
  await page.focus(editor);
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' ');
  const reloaded = def('saved') + ' ';
  assertEq(await page.inputValue(editor), reloaded, 'typed');
  assertEq(await stored(page), def('saved'), 'not saved yet (the save waits for a pause)');
  await page.reload();
  await page.waitForSelector(editor);
  assertEq(await page.inputValue(editor), reloaded, 'the typed text after the reload');

  // Typed, then the tab closed (as the user closes it) and the page opened again.
  await holdSaves(page);
  await page.focus(editor);
  await page.keyboard.press('Control+End');
  await page.keyboard.type('x');
  assertEq(await stored(page), reloaded, 'not saved yet');
  await page.close({ runBeforeUnload: true });
  await page.waitForEvent('close');
  page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(baseUrl);
  await page.waitForSelector(editor);
  assertEq(await page.inputValue(editor), reloaded + 'x', 'the typed text after closing the tab');
  assertEq(errors, [], 'page errors');
});
