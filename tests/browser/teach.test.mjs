// Types, cost and lints in the page: Express lets the 100,000-iteration loop finish where
// Standard hits its 25,000-event quota; the cost panel shows both types for the video pipeline;
// each lint appears on the example built to trigger it, at its line; a lint's quick fix and
// "Allow" work; the field under the cursor is explained.
import path from 'node:path';
import { test, assert, assertEq } from './harness.mjs';

const status = (page) => page.textContent('[data-testid="output-panel"] [data-testid="run-status"]');
async function example(page, id) {
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.click('[data-testid="examples-button"]');
  await page.click(`[data-testid="example-${id}"]`);
  await page.waitForSelector('[data-testid="graph"] svg');
}
async function runToEnd(page, timeout = 60000) {
  await page.click('[data-testid="run-button"]');
  await page.waitForFunction(() => /SUCCEEDED|FAILED|TIMED_OUT/.test(document.querySelector('[data-testid="output-panel"] [data-testid="run-status"]')?.textContent ?? ''), null, { timeout });
  return (await status(page)).trim();
}
// The 1-based line of the first line of the editor's text that contains `needle`.
const lineOf = async (page, needle) =>
  (await page.inputValue('[data-testid="definition-editor"]')).split('\n').findIndex((l) => l.includes(needle)) + 1;

test('switching to Express lets the 100,000-iteration loop finish', async ({ open }) => {
  const page = await open();
  await example(page, 'standard-vs-express-loop');
  assertEq(await runToEnd(page), 'FAILED', 'Standard: the history quota');
  assert(/25,?000|history/i.test(await page.textContent('[data-testid="run-error"]')), await page.textContent('[data-testid="run-error"]'));
  await page.selectOption('[data-testid="workflow-type"]', 'EXPRESS');
  assertEq(await runToEnd(page, 120000), 'SUCCEEDED', 'Express: no quota');
  assert(/at-least-once/.test(await page.textContent('[data-testid="delivery"]')), 'Express delivery semantics');
  // The type is kept with the session.
  await page.reload();
  assertEq(await page.inputValue('[data-testid="workflow-type"]'), 'EXPRESS', 'type remembered');
});

test('the cost panel shows Standard and Express for the video pipeline', async ({ open, artifacts }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="graph"] svg');
  assertEq(await runToEnd(page), 'SUCCEEDED', 'run');
  await page.waitForSelector('[data-testid="cost-panel"]');
  const std = await page.textContent('[data-testid="cost-standard"]');
  const exp = await page.textContent('[data-testid="cost-express"]');
  assert(/6 transitions/.test(std) && /\$/.test(std), `Standard row: ${std}`);
  assert(/ms × \d+ MB/.test(exp) && /\$/.test(exp), `Express row: ${exp}`);
  assert(/Express is cheaper from [\d,]+ runs a month/.test(await page.textContent('[data-testid="cost-break-even"]')), 'break-even');
  await page.fill('[data-testid="cost-per-month"]', '1000000');
  await page.press('[data-testid="cost-per-month"]', 'Enter');
  assert(await page.textContent('[data-testid="cost-standard"]') !== std, 'monthly figure follows the volume');
  await page.screenshot({ path: path.join(artifacts, 'cost.png') });
});

test('each lint appears on its example at the right line; fix and allow work', async ({ open }) => {
  const page = await open();
  const problem = (code) => page.locator(`[data-testid="problem"][data-code="${code}"]`).first();
  // Static lints, in the editor's problems list.
  await example(page, 'payload-grows');
  await problem('PAYLOAD_GROWS_IN_LOOP').waitFor();
  await example(page, 'retries-multiply');
  await problem('RETRY_MULTIPLIES').waitFor();
  assert(/×/.test(await problem('RETRY_MULTIPLIES').textContent()), 'shows the product');
  await example(page, 'polling-cost-secrets');
  await problem('SECRET_IN_DEFINITION').waitFor();
  await problem('LAMBDA_RETRY_BROAD').waitFor();
  // Each at the line of what it is about: the broad error name, the secret-looking key.
  for (const [code, needle] of [['LAMBDA_RETRY_BROAD', /States\.ALL/], ['SECRET_IN_DEFINITION', /apiKey|Authorization|password|secret|token/i]]) {
    const line = Number(await problem(code).getAttribute('data-line'));
    const text = (await page.inputValue('[data-testid="definition-editor"]')).split('\n')[line - 1];
    assert(needle.test(text), `${code} at line ${line}: ${text}`);
  }
  // Run lints: after the run, under the output.
  await runToEnd(page);
  await page.waitForSelector('[data-testid="run-lint"][data-code="COST_HOT_SPOT"]');
  await page.waitForSelector('[data-testid="run-lint"][data-code="SECRET_IN_INPUT"]');
  // The transient-retry lint on a fresh Lambda task: its fix inserts the Retry.
  await page.fill('[data-testid="definition-editor"]', JSON.stringify({ StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true } } }, null, 2));
  await problem('LAMBDA_TRANSIENT_RETRY_MISSING').waitFor();
  assertEq(Number(await problem('LAMBDA_TRANSIENT_RETRY_MISSING').getAttribute('data-line')), await lineOf(page, '"Resource"'), 'at the Resource');
  await problem('LAMBDA_TRANSIENT_RETRY_MISSING').locator('[data-testid="apply-fix"]').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="problem"][data-code="LAMBDA_TRANSIENT_RETRY_MISSING"]'));
  assert(/Lambda\.TooManyRequestsException/.test(await page.inputValue('[data-testid="definition-editor"]')), 'the Retry was inserted');
  // Allow silences a lint for the session.
  await example(page, 'retries-multiply');
  await problem('RETRY_MULTIPLIES').locator('[data-testid="allow-lint"]').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid="problem"][data-code="RETRY_MULTIPLIES"]'));
});

test('the field under the cursor is explained, with its default and a docs link', async ({ open }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="graph"] svg');
  const ed = '[data-testid="definition-editor"]';
  const text = await page.inputValue(ed);
  const at = text.indexOf('"ResultPath"') + 3;
  await page.focus(ed);
  await page.evaluate(([sel, at]) => { const t = document.querySelector(sel); t.setSelectionRange(at, at); t.dispatchEvent(new KeyboardEvent('keyup', { bubbles: true })); }, [ed, at]);
  await page.waitForSelector('[data-testid="field-doc"]');
  const doc = await page.textContent('[data-testid="field-doc"]');
  assert(/ResultPath/.test(doc), doc);
  assert(await page.getAttribute('[data-testid="field-doc"] a', 'href'), 'docs link');
});
