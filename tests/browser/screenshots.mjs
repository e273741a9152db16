// The README's screenshots, made again from a built dist/: `node screenshots.mjs [DIST] [OUT]`
// (defaults ../../dist and ../../docs). Not a test: it asserts nothing, it only poses the page.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from './harness.mjs';
import { serveDir } from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.argv[2] ?? path.join(here, '../../dist'));
const out = path.resolve(process.argv[3] ?? path.join(here, '../../docs'));
const server = await serveDir(dist);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 960 } });
  await page.goto(server.url);
  await page.evaluate(() => { document.documentElement.dataset.theme = 'light'; });
  await page.waitForSelector('[data-testid="graph"] svg');
  const keys = async (k, n = 1) => { for (let i = 0; i < n; i++) await page.keyboard.press(k); };
  await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
  // Stepping: part-way through the Parallel, with Validate inspected.
  await keys('End');
  await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''));
  await keys('Home');
  await keys('Shift+ArrowRight', 4);
  await page.click('[data-testid="graph"] .asl-node[data-state="Validate"]');
  await page.evaluate(() => document.querySelector('[data-stage="afterResultSelector"]')?.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: path.join(out, 'stepper.png') });
  await page.locator('.results-pane').screenshot({ path: path.join(out, 'inspector.png') });
  // A paused task: the mocks without Validate.
  await page.click('[data-testid="tab-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  const mocks = JSON.parse(await page.inputValue('[data-testid="mocks-editor"]'));
  delete mocks.Validate;
  await page.fill('[data-testid="mocks-editor"]', JSON.stringify(mocks, null, 2));
  await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
  await keys('End');
  await page.click('[data-testid="tab-inspect"]');
  await page.waitForSelector('[data-testid="paused-task"]');
  await page.fill('[data-testid="answer-result"]', '{"Payload": {"valid": true, "durationSeconds": 42}}');
  await page.locator('.results-pane').screenshot({ path: path.join(out, 'paused-task.png') });
  // The cost panel and run lints, after the video pipeline's run.
  await page.goto(server.url);
  await page.evaluate(() => { localStorage.clear(); });
  await page.goto(server.url);
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.click('[data-testid="run-button"]');
  await page.waitForSelector('[data-testid="cost-panel"]');
  await page.locator('.run-report').screenshot({ path: path.join(out, 'cost.png') });
  await page.screenshot({ path: path.join(out, 'playground.png') });
  // A YAML template's placeholders, and a definition with errors still drawn.
  await page.fill('[data-testid="definition-editor"]', await readFile(path.join(here, '../formats/order.asl.yaml'), 'utf8'));
  await page.waitForSelector('[data-testid="placeholders"]');
  await page.waitForSelector('[data-testid="graph"] .asl-node[data-state="Notify"]');
  await page.screenshot({ path: path.join(out, 'placeholders.png') });
  // A recorded execution (tests/browser/fixtures/retry.*) replayed and compared after one of the
  // derived mocks was changed: the divergence marked on the graph.
  const fixture = (f) => readFile(path.join(here, 'fixtures', f), 'utf8');
  await page.fill('[data-testid="definition-editor"]', await fixture('retry.asl.json'));
  await page.waitForSelector('[data-testid="graph"] .asl-node[data-state="Charge"]');
  await page.click('[data-testid="import-button"]');
  await page.fill('[data-testid="import-history"]', await fixture('retry.history.json'));
  await page.fill('[data-testid="import-describe"]', await fixture('retry.describe.json'));
  await page.click('[data-testid="import-replay"]');
  await page.click('[data-testid="derive-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  const derived = await page.inputValue('[data-testid="mocks-editor"]');
  await page.fill('[data-testid="mocks-editor"]', derived.replace('"r-9"', '"r-0"'));
  await page.click('[data-testid="compare"]');
  await page.click('[data-testid="divergence-go"]');
  await page.click('[data-testid="tab-inspect"]');
  await page.screenshot({ path: path.join(out, 'import.png') });
} finally {
  await browser.close();
  await server.close();
}
console.log(`screenshots written to ${out}`);
