// Definitions as users keep them: YAML (Workflow Studio's export) and SAM/CloudFormation
// templates pasted into the editor; template placeholders listed with a value to give; a
// template's state machines picked by logical id; the graph always draws.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test, assert, assertEq } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const editor = '[data-testid="definition-editor"]';
const states = (page) => page.$$eval('[data-testid="graph"] .asl-node[data-state]', (ns) => ns.map((n) => n.dataset.state).sort());

test('a YAML definition with placeholders: drawn, its placeholders listed, values kept', async ({ open, artifacts }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.fill(editor, await readFile(path.join(root, 'tests/formats/order.asl.yaml'), 'utf8'));
  await page.waitForSelector('[data-testid="format-yaml"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="graph"] .asl-node[data-state="Notify"]'));
  assertEq(await states(page), ['Done', 'Notify', 'Process'], 'every state drawn');
  const names = await page.$$eval('[data-testid="placeholder"]', (rs) => rs.map((r) => r.dataset.name).sort());
  assertEq(names, ['AWS::Partition', 'ProcessFunctionArn', 'TopicArn'], 'placeholders listed');
  assert(await page.locator('[data-testid="problem"][data-code^="INVALID_JSON"]').count() === 0, 'no JSON error for YAML');
  const caption = await page.textContent('[data-testid="graph"] .asl-node[data-state="Process"]');
  assert(/ProcessFunctionArn/.test(caption), `the task is named by what is known: ${caption}`);
  await page.fill('[data-testid="placeholder"][data-name="TopicArn"] [data-testid="placeholder-value"]', 'arn:aws:sns:us-east-1:123456789012:orders');
  await page.press('[data-testid="placeholder"][data-name="TopicArn"] [data-testid="placeholder-value"]', 'Enter');
  await page.screenshot({ path: path.join(artifacts, 'yaml-placeholders.png') });
  await page.reload();
  await page.waitForSelector('[data-testid="placeholders"]');
  assertEq(await page.inputValue('[data-testid="placeholder"][data-name="TopicArn"] [data-testid="placeholder-value"]'),
    'arn:aws:sns:us-east-1:123456789012:orders', 'the value is kept with the session');
  // Emptying a value takes it out of the session; the others stay.
  const value = (name) => `[data-testid="placeholder"][data-name="${name}"] [data-testid="placeholder-value"]`;
  const lambda = 'arn:aws:lambda:us-east-1:123456789012:function:process';
  await page.fill(value('ProcessFunctionArn'), lambda);
  await page.press(value('ProcessFunctionArn'), 'Enter');
  await page.fill(value('TopicArn'), '');
  await page.press(value('TopicArn'), 'Enter');
  await page.reload();
  await page.waitForSelector('[data-testid="placeholders"]');
  assertEq(await page.inputValue(value('TopicArn')), '', 'the emptied value is gone');
  assertEq(await page.inputValue(value('ProcessFunctionArn')), lambda, 'the other value stays');
});

test('a SAM template with several state machines: pick one by logical id; it draws with its problems', async ({ open }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.fill(editor, await readFile(path.join(root, 'tests/formats/sam/template.yaml'), 'utf8'));
  await page.waitForSelector('[data-testid="logical-id"]');
  const ids = await page.$$eval('[data-testid="logical-id"] option', (os) => os.map((o) => o.value));
  assertEq(ids, ['FromFile', 'Inline', 'Typed'], 'the template\'s state machines');
  await page.selectOption('[data-testid="logical-id"]', 'Typed');
  await page.waitForFunction(() => document.querySelector('[data-testid="graph"] .asl-node[data-state="Wait"]'));
  assert(await page.locator('[data-testid="graph"] .asl-edge-dangling').count() >= 1, 'the Next to a missing state dangles');
  await page.selectOption('[data-testid="logical-id"]', 'Inline');
  await page.waitForFunction(() => !document.querySelector('[data-testid="graph"] .asl-node[data-state="Wait"]'));
  assertEq(await states(page), ['Process'], 'the Inline machine');
});

test('a file dropped on the editor replaces the definition', async ({ open }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="graph"] svg');
  const yaml = await readFile(path.join(root, 'tests/formats/order.asl.yaml'), 'utf8');
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'order.asl.yaml', { type: 'application/yaml' }));
    const pane = document.querySelector('.editor-pane');
    pane.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
    pane.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, yaml);
  await page.waitForSelector('[data-testid="format-yaml"]');
  assertEq(await page.inputValue(editor), yaml, 'the file\'s text');
  await page.waitForSelector('[data-testid="graph"] .asl-node[data-state="Notify"]');
});
