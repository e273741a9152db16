// Importing an execution recorded on AWS: a history where a Lambda task is throttled once and
// retried (fixtures/retry.*, in the shapes the AWS CLI prints) replays on the graph with the
// stepper and inspector, marked "recorded on AWS"; Derive mocks fills the Mocks tab; Compare
// simulates with them and finds no divergence; a changed mock diverges, marked on the graph.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, assert, assertEq } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = (name) => readFile(path.join(here, 'fixtures', name), 'utf8');
const nodeClass = (page, state) => page.getAttribute(`[data-testid="graph"] .asl-node[data-state="${state}"]`, 'class');

export async function importRecording(page) {
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.fill('[data-testid="definition-editor"]', await fixture('retry.asl.json'));
  await page.waitForSelector('[data-testid="graph"] .asl-node[data-state="Charge"]');
  await page.click('[data-testid="import-button"]');
  await page.fill('[data-testid="import-history"]', await fixture('retry.history.json'));
  await page.fill('[data-testid="import-describe"]', await fixture('retry.describe.json'));
  await page.click('[data-testid="import-replay"]');
  await page.waitForSelector('[data-testid="recorded-badge"]');
}

test('a recorded history with a retried task failure replays, derives mocks and compares clean', async ({ open, errors, artifacts }) => {
  const page = await open();
  await importRecording(page);
  assert(/12 events · SUCCEEDED/.test(await page.textContent('[data-testid="recording-bar"]')), 'summary of the recording');
  // The recorded input became the session's.
  await page.click('[data-testid="tab-input"]');
  assertEq(JSON.parse(await page.inputValue('[data-testid="input-editor"]')), { orderId: 'o-1', amount: 42 }, 'input from describe-execution');
  // Step through it: the stepper moves over the recorded events.
  await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  assert(/event 5\b/.test(await page.textContent('[data-testid="step-counter"]')), 'at the recorded TaskFailed');
  assert(/\bfailed\b/.test(await nodeClass(page, 'Charge')), `after TaskFailed, Charge has failed: ${await nodeClass(page, 'Charge')}`);
  await page.keyboard.press('ArrowRight');
  assert(/retrying/.test(await nodeClass(page, 'Charge')), `scheduled again, Charge is retrying: ${await nodeClass(page, 'Charge')}`);
  await page.keyboard.press('End');
  await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''));
  assert(/succeeded/.test(await nodeClass(page, 'Charge')), 'Charge succeeded');
  assert(/succeeded/.test(await nodeClass(page, 'Receipt')), 'Receipt succeeded');
  await page.click('[data-testid="tab-history"]');
  assertEq(await page.locator('[data-testid="history-row"]').count(), 12, 'every recorded event listed');
  // The inspector shows the visit with both attempts, the first failed with AWS's error.
  await page.click('[data-testid="graph"] .asl-node[data-state="Charge"]');
  const inspect = await page.textContent('[data-testid="inspect-panel"]');
  assert(/Lambda\.TooManyRequestsException/.test(inspect), `the failed attempt's error: ${inspect.slice(0, 400)}`);
  await page.click('[data-testid="tab-output"]');
  assertEq(JSON.parse(await page.textContent('[data-testid="run-output"]')), { orderId: 'o-1', receipt: 'r-9' }, 'recorded output');
  await page.screenshot({ path: path.join(artifacts, 'import-replay.png') });

  // Derive mocks: the recorded failure, then the recorded result, for Charge.
  await page.click('[data-testid="derive-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  const mocks = JSON.parse(await page.inputValue('[data-testid="mocks-editor"]'));
  const charge = mocks.States?.Charge ?? mocks.Charge;
  assert(charge, `Charge mocked: ${JSON.stringify(mocks)}`);
  assertEq(charge['0']?.Throw?.Error, 'Lambda.TooManyRequestsException', 'first call throws as recorded');
  assertEq(charge['1']?.Return?.Payload, { charged: true, receiptId: 'r-9' }, 'second call returns as recorded');
  assert(await page.isVisible('[data-testid="recorded-badge"]'), 'still the recorded session after deriving');

  // Compare: the simulation with those mocks matches the recording event for event.
  await page.click('[data-testid="compare"]');
  const result = page.locator('[data-testid="compare-result"]');
  assertEq(await result.getAttribute('data-diverged'), 'false', `no divergence: ${await result.textContent()}`);
  assert(/No divergence: all 12 events match/.test(await result.textContent()), await result.textContent());
  const diverged = await page.$$('[data-testid="graph"] .asl-node.diverged');
  assertEq(diverged.length, 0, 'nothing marked');
  await page.screenshot({ path: path.join(artifacts, 'import-compare.png') });

  // A changed mock: the first divergence is Charge's result, marked on the graph.
  mocks.States ? (mocks.States.Charge['1'].Return.Payload.receiptId = 'r-0') : (mocks.Charge['1'].Return.Payload.receiptId = 'r-0');
  await page.fill('[data-testid="mocks-editor"]', JSON.stringify(mocks, null, 2));
  assert(await page.isVisible('[data-testid="recorded-badge"]'), 'editing the mocks keeps the recording');
  await page.click('[data-testid="compare"]');
  await page.waitForSelector('[data-testid="compare-result"][data-diverged="true"]');
  const text = await result.textContent();
  assertEq(await result.getAttribute('data-state'), 'Charge', `divergence at Charge: ${text}`);
  assert(/divergence at event 8 \(Charge\): the output differs/.test(text), text);
  assert(/r-0/.test(await page.textContent('[data-testid="divergence-message"]')), 'the message shows the simulated value');
  await page.click('[data-testid="divergence-go"]');
  assert(/event 8\b/.test(await page.textContent('[data-testid="step-counter"]')), 'Go there moves the replay to the recorded event');
  assert(/\bdiverged\b/.test(await nodeClass(page, 'Charge')), 'Charge marked on the graph');
  await page.screenshot({ path: path.join(artifacts, 'import-divergence.png') });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('a malformed history is reported at its line, and editing the definition ends the replay', async ({ open }) => {
  const page = await open();
  await importRecording(page);
  await page.click('[data-testid="import-button"]');
  await page.fill('[data-testid="import-history"]', '{\n  "events": [\n    {"id": 1, "type": "NoSuchEvent"}\n  ]\n}');
  await page.click('[data-testid="import-replay"]');
  const err = await page.textContent('[data-testid="import-error"]');
  assert(/^history 3:/.test(err.trim()), `positioned: ${err}`);
  await page.keyboard.press('Escape');
  const def = JSON.parse(await fixture('retry.asl.json'));
  def.Comment = 'changed';
  await page.fill('[data-testid="definition-editor"]', JSON.stringify(def, null, 2));
  await page.waitForSelector('[data-testid="recorded-badge"]', { state: 'detached' });
});
