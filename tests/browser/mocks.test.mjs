// The Mocks tab: the form (one row per Task state, nested ones included) and the JSON view edit
// the same mocks; a result filled in the form is what a run uses; the core's errors are shown
// positioned; a Step Functions Local MockConfigFile is accepted.
import path from 'node:path';
import { test, assert, assertEq } from './harness.mjs';

const editor = '[data-testid="definition-editor"]';

async function runAndWait(page) {
  await page.click('[data-testid="run-button"]');
  await page.waitForSelector('[data-testid="output-panel"] [data-testid="run-status"]');
  return (await page.textContent('[data-testid="output-panel"] [data-testid="run-status"]')).trim();
}

test('the mocks form has one row per Task state, nested ones included', async ({ open, errors, artifacts }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.click('[data-testid="tab-mocks"]');
  await page.waitForSelector('[data-testid="mocks-form"]');
  const rows = await page.$$eval('[data-testid^="mock-row-"]', (rs) => rs.map((r) => r.dataset.testid.slice('mock-row-'.length)));
  assertEq(rows, ['Validate', 'SaveMetadata', 'NotifyUser', 'Transcode', 'Thumbnails'], 'rows');
  assert(/in Process › branch 1/.test(await page.textContent('[data-testid="mock-row-Transcode"]')), 'nested task says where it is');
  // The example's result shows in the form, as the core read it.
  const v = JSON.parse(await page.inputValue('[data-testid="mock-row-NotifyUser"] [data-testid="mock-return"]'));
  assertEq(v, { MessageId: '5b1a2c3d-0000-4000-8000-000000000001' }, 'NotifyUser result in the form');
  await page.screenshot({ path: path.join(artifacts, 'mocks-form.png') });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('a result filled in the form is what the run uses, and the JSON view shows it', async ({ open, errors }) => {
  const page = await open();
  await page.waitForSelector(editor);
  const def = {
    StartAt: 'Greet',
    States: {
      Greet: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish', ResultPath: '$.sent', Next: 'Check' },
      Check: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Retry: [{ ErrorEquals: ['Busy'], MaxAttempts: 3, IntervalSeconds: 1 }], ResultPath: '$.item', End: true },
    },
  };
  await page.fill(editor, JSON.stringify(def, null, 2));
  await page.click('[data-testid="tab-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  await page.fill('[data-testid="mocks-editor"]', '{}');
  await page.click('[data-testid="mocks-view-form"]');
  const greet = page.locator('[data-testid="mock-row-Greet"]');
  await greet.waitFor();
  assert(/not mocked/.test(await greet.textContent()), 'Greet starts unmocked');
  // Greet returns what is typed in the form.
  await greet.locator('[data-testid="mock-add-return"]').click();
  const field = greet.locator('[data-testid="mock-return"]');
  await field.fill('{"MessageId": "from-the-form"');
  await greet.locator('[data-testid="mock-return-error"]').waitFor(); // not JSON yet: said so
  await field.fill('{"MessageId": "from-the-form"}');
  await greet.locator('[data-testid="mock-return-error"]').waitFor({ state: 'detached' });
  // Check: a sequence — Busy twice (retried), then a result.
  const check = page.locator('[data-testid="mock-row-Check"]');
  await check.locator('[data-testid="mock-add-throw"]').click();
  await check.locator('[data-testid="mock-error"]').fill('Busy');
  await check.locator('[data-testid="mock-calls"]').count().then((n) => assertEq(n, 0, 'one response answers every call'));
  await check.locator('[data-testid="mock-add-return"]').click();
  await check.locator('[data-testid="mock-calls"]').first().fill('2');
  await check.locator('[data-testid="mock-calls"]').first().dispatchEvent('change');
  await check.locator('[data-testid="mock-entry"]').nth(1).locator('[data-testid="mock-return"]').fill('{"Item": {"id": 7}}');
  assertEq((await check.locator('.mock-calls').allTextContents()), ['Calls 1–2', 'Call 3'], 'sequence labels');

  assertEq(await runAndWait(page), 'SUCCEEDED', 'status');
  const out = JSON.parse(await page.textContent('[data-testid="run-output"]'));
  assertEq(out.sent, { MessageId: 'from-the-form' }, 'Greet result from the form');
  assertEq(out.item, { Item: { id: 7 } }, 'Check result after two retried failures');
  await page.click('[data-testid="tab-history"]');
  const failed = await page.$$eval('[data-testid="history-row"] [data-testid="history-type"]', (ss) => ss.filter((s) => s.textContent.trim() === 'TaskFailed').length);
  assertEq(failed, 2, 'two TaskFailed events');
  // The JSON view holds the same mocks.
  await page.click('[data-testid="tab-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  const json = JSON.parse(await page.inputValue('[data-testid="mocks-editor"]'));
  assertEq(json.States.Greet, { Return: { MessageId: 'from-the-form' } }, 'Greet in the JSON view');
  assertEq(json.States.Check['0-1'], { Throw: { Error: 'Busy' } }, 'Check calls 1–2 in the JSON view');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('the JSON view shows the core\'s positioned error; the form says where to fix it', async ({ open }) => {
  const page = await open();
  await page.waitForSelector(editor);
  await page.click('[data-testid="tab-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  await page.fill('[data-testid="mocks-editor"]', '{\n  "Validate": {"Retrun": 1}\n}');
  await page.waitForSelector('[data-testid="mocks-status"] .err');
  const status = await page.textContent('[data-testid="mocks-status"]');
  assert(/^2:16 /.test(status), `status names line 2, column 16: ${status}`);
  assertEq(await page.textContent('.tab-body .squiggle-error'), '"Retrun"', 'underlined in the JSON view');
  await page.click('[data-testid="mocks-view-form"]');
  assert(/problem/.test(await page.textContent('[data-testid="mocks-form"]')), 'form points to the JSON view');
});

test('a Step Functions Local MockConfigFile is accepted and runs use its first test case', async ({ open }) => {
  const page = await open();
  await page.waitForSelector(editor);
  await page.fill(editor, JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', OutputPath: '$.Payload', End: true } } }, null, 2));
  await page.click('[data-testid="tab-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  const config = {
    StateMachines: { Demo: { TestCases: { HappyPath: { T: 'TOk' } } } },
    MockedResponses: { TOk: { 0: { Return: { StatusCode: 200, Payload: { ok: true } } } } },
  };
  await page.fill('[data-testid="mocks-editor"]', JSON.stringify(config, null, 2));
  await page.waitForFunction(() => /HappyPath/.test(document.querySelector('[data-testid="mocks-status"]')?.textContent ?? ''));
  assertEq(await runAndWait(page), 'SUCCEEDED', 'status');
  assertEq(JSON.parse(await page.textContent('[data-testid="run-output"]')), { ok: true }, 'output from the test case');
  // The form offers to turn it into playground mocks, which it can then edit.
  await page.click('[data-testid="tab-mocks"]');
  await page.click('[data-testid="mocks-view-form"]');
  await page.click('[data-testid="mocks-convert"]');
  await page.waitForSelector('[data-testid="mock-row-T"] [data-testid="mock-return"]');
});
