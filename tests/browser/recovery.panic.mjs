// Crash recovery, against the test build that panics on purpose (web/src/recovery.rs):
//   trunk build --release --features test-panic --dist dist-panic
//   node tests/browser/run.mjs dist-panic --panic
// A panic traps the wasm (panic = "abort"); public/boot.js must bring the page back without a
// reload, with the user's text, and say what happened.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { test, assert, assertEq } from './harness.mjs';

const TRIGGER = '__asl_test_panic__';
const editor = '[data-testid="definition-editor"]';
const inputEditor = '[data-testid="input-editor"]';

test('this is the test build: its wasm has the panic trigger', async () => {
  const dist = process.env.BROWSER_DIST;
  const wasm = (await readdir(dist)).filter((f) => f.endsWith('.wasm'));
  const bytes = await readFile(path.join(dist, wasm[0]));
  assert(bytes.includes(Buffer.from(TRIGGER)), `${dist} is built with --features test-panic`);
});

test('a panic during a run: the page recovers without a reload, with the text just typed', async ({ open, errors, artifacts }) => {
  const page = await open();
  await page.waitForSelector(editor);
  await page.evaluate(() => { window.__sameDocument = true; });
  assertEq(await page.evaluate(() => document.documentElement.dataset.aslInstance), '1', 'first instance');
  const mine = JSON.stringify({ Comment: 'typed just before the crash', StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } }, null, 2);
  const badInput = JSON.stringify({ note: TRIGGER });
  await page.fill(editor, mine);
  await page.fill(inputEditor, badInput);
  // Run at once (Ctrl+Enter), before any debounce: the run panics.
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('[data-testid="recovery-banner"]');
  const message = await page.textContent('[data-testid="recovery-message"]');
  assert(message.includes('test panic') && message.includes('recovery.rs'), `the banner says what happened: ${message}`);
  assert((await page.textContent('[data-testid="recovery-banner"]')).includes('Your text is safe'), 'the banner says the text is safe');
  // A new instance, in the same document (no reload), with the texts back.
  await page.waitForSelector(editor);
  assertEq(await page.evaluate(() => document.documentElement.dataset.aslInstance), '2', 'second instance');
  assertEq(await page.evaluate(() => window.__sameDocument), true, 'the page was not reloaded');
  assertEq(await page.inputValue(editor), mine, 'definition after recovery');
  assertEq(await page.inputValue(inputEditor), badInput, 'input after recovery');
  assertEq(await page.$$eval('.app', (a) => a.length), 1, 'one app mounted');
  await page.screenshot({ path: path.join(artifacts, 'recovery-banner.png') });
  // The new instance works, and nothing of the dead one is left to throw.
  errors.length = 0;
  await page.click('[data-testid="tab-input"]');
  await page.fill(inputEditor, '{"fine": true}');
  await page.click('[data-testid="run-button"]');
  await page.waitForSelector('[data-testid="output-panel"] [data-testid="run-status"]');
  assertEq((await page.textContent('[data-testid="run-status"]')).trim(), 'SUCCEEDED', 'a run after recovery');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Home');
  await page.click('[data-testid="theme-toggle"]');
  await page.fill(editor, mine.replace('typed just before', 'typed after'));
  await page.waitForTimeout(400);
  assertEq(errors, [], 'errors after recovery');
  await page.click('[data-testid="recovery-banner"] button[aria-label="Dismiss"]');
  assertEq(await page.$$eval('[data-testid="recovery-banner"]', (b) => b.length), 0, 'banner dismissed');
  // And a second panic is recovered too.
  await page.click('[data-testid="tab-input"]');
  await page.fill(inputEditor, badInput);
  await page.click('[data-testid="run-button"]');
  await page.waitForSelector('[data-testid="recovery-banner"]');
  await page.waitForSelector(editor);
  assertEq(await page.evaluate(() => document.documentElement.dataset.aslInstance), '3', 'third instance');
  assert((await page.inputValue(editor)).includes('typed after'), 'definition after the second recovery');
});

test('a saved text that panics at every start: the page stops retrying, says so, and keeps the text', async ({ open }) => {
  const page = await open();
  await page.waitForSelector(editor);
  const poison = JSON.stringify({ Comment: TRIGGER, StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } }, null, 2);
  // Analysis runs once typing pauses, and again at every start: each panics.
  await page.fill(editor, poison);
  await page.waitForFunction(() => /stopped trying/.test(document.querySelector('[data-testid="recovery-banner"]')?.textContent ?? ''), null, { timeout: 20000 });
  const instances = Number(await page.evaluate(() => document.documentElement.dataset.aslInstance));
  assertEq(instances, 4, 'instances: the first, then three restarts');
  assertEq(await page.evaluate(() => localStorage.getItem('asl-playground.definition')), poison, 'the definition is still saved');
  await page.waitForTimeout(1500);
  assertEq(Number(await page.evaluate(() => document.documentElement.dataset.aslInstance)), instances, 'no more restarts');
});

test('with localStorage disabled, a panic still keeps the text (kept outside the wasm instance)', async ({ context, baseUrl }) => {
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
  });
  const page = await context.newPage();
  await page.goto(baseUrl);
  await page.waitForSelector('[data-testid="storage-notice"][data-health="Unavailable"]');
  const mine = JSON.stringify({ Comment: 'no storage, then a crash', StartAt: 'Only', States: { Only: { Type: 'Pass', End: true } } }, null, 2);
  await page.fill(editor, mine);
  await page.fill(inputEditor, JSON.stringify({ note: TRIGGER }));
  await page.keyboard.press('Control+Enter');
  await page.waitForSelector('[data-testid="recovery-banner"]');
  await page.waitForFunction(() => document.documentElement.dataset.aslInstance === '2' && document.querySelector('[data-testid="definition-editor"]'));
  assertEq(await page.inputValue(editor), mine, 'definition after recovery, from memory');
  await page.waitForSelector('[data-testid="storage-notice"][data-health="Unavailable"]');
});
