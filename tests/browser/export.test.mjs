// The Export menu: each export downloads a file that parses — the graph as SVG (XML, with the
// run's colours, drawn standalone) and PNG (signature, decodes to a nonzero size), the history
// (GetExecutionHistory's JSON), the mocks (a MockConfigFile the Mocks tab reads back), the
// expectations of an `asl test` case, and the definition.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { test, assert, assertEq } from './harness.mjs';

async function download(page, testid) {
  const menu = await page.$('[data-testid="export-menu"]');
  if (!menu) await page.click('[data-testid="export-button"]');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testid}"]`)]);
  const file = await dl.path();
  return { name: dl.suggestedFilename(), bytes: await readFile(file) };
}

test('every export downloads a file that parses', async ({ open, errors, artifacts, context }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.click('[data-testid="run-button"]');
  await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid="run-status"]')?.textContent ?? ''));
  // Inspect a state and set a breakpoint: page-only marks the files must not keep.
  await page.click('[data-testid="graph"] .asl-node[data-state="Validate"]');
  await page.click('[data-testid="graph"] .asl-node[data-state="NotifyUser"]', { modifiers: ['Shift'] });

  const svg = await download(page, 'export-svg');
  assertEq(svg.name, 'state-machine.svg', 'SVG name');
  const svgText = svg.bytes.toString('utf8');
  const parsed = await page.evaluate((t) => {
    const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      root: doc.documentElement.localName,
      succeeded: doc.querySelectorAll('.asl-node.succeeded').length,
      selected: doc.querySelectorAll('.selected, .bp').length,
      taken: doc.querySelectorAll('.asl-edge.taken').length,
    };
  }, svgText);
  assertEq(parsed.error, null, 'the SVG is well-formed XML');
  assertEq(parsed.root, 'svg', 'root element');
  assertEq(parsed.succeeded, 6, 'the run\'s colours are in the file');
  assertEq(parsed.selected, 0, 'the page\'s own marks are not');
  assert(parsed.taken > 0, 'edges taken are marked');
  // Standalone (its own page, no stylesheet of ours), it draws with its colours.
  const alone = await context.newPage();
  await alone.setContent(svgText.replace(/^<\?xml[^>]*>\s*/, ''));
  const stroke = await alone.evaluate(() => getComputedStyle(document.querySelector('.asl-node.succeeded > .asl-shape')).stroke);
  assert(stroke && stroke !== 'none' && !/rgb\(0, 0, 0\)/.test(stroke), `succeeded stroke from the file's own style: ${stroke}`);
  await alone.screenshot({ path: path.join(artifacts, 'export-svg-standalone.png') });
  await alone.close();

  const png = await download(page, 'export-png');
  assertEq(png.name, 'state-machine.png', 'PNG name');
  assertEq([...png.bytes.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10], 'PNG signature');
  const [w, h] = [png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)];
  assert(w > 100 && h > 100, `IHDR size ${w}×${h}`);
  // Decoded from a blob: URL: the page's CSP allows images from itself and blob: only (a data:
  // URL is refused, and fails to decode).
  const decoded = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
    const img = new Image();
    img.src = url;
    await img.decode();
    URL.revokeObjectURL(url);
    return [img.naturalWidth, img.naturalHeight];
  }, png.bytes.toString('base64'));
  assertEq(decoded, [w, h], 'the PNG decodes');
  await writeFile(path.join(artifacts, 'export-graph.png'), png.bytes);

  const history = JSON.parse((await download(page, 'export-history')).bytes.toString('utf8'));
  assert(Array.isArray(history.events) && history.events.length > 10, 'events');
  assertEq(history.events[0].type, 'ExecutionStarted', 'first event');
  assertEq(history.events.at(-1).type, 'ExecutionSucceeded', 'last event');
  assert(history.events.every((e) => typeof e.id === 'number' && 'previousEventId' in e && typeof e.timestamp === 'string'), 'AWS event fields');
  assert(!JSON.stringify(history).includes('statePath'), 'none of the playground\'s own fields');

  const configFile = await download(page, 'export-mock-config');
  assertEq(configFile.name, 'MockConfigFile.json', 'Step Functions Local file name');
  const config = JSON.parse(configFile.bytes.toString('utf8'));
  const machines = Object.entries(config.StateMachines ?? {});
  assertEq(machines.length, 1, 'one state machine');
  const cases = Object.entries(machines[0][1].TestCases);
  assertEq(cases.length, 1, 'one test case');
  const [caseName, states] = cases[0];
  for (const [state, response] of Object.entries(states)) {
    assert(config.MockedResponses[response], `${state} → ${response} is in MockedResponses`);
  }
  assertEq(Object.keys(states).sort(), ['NotifyUser', 'SaveMetadata', 'Thumbnails', 'Transcode', 'Validate'], 'every task');

  // The test case: its MockConfigFile (the same mocks and names here: the example has no
  // durations), its expectations and the definition.
  const testMocks = await download(page, 'export-test-mocks');
  assertEq(testMocks.name, 'playground.mocks.json', 'test case MockConfigFile name');
  assertEq(JSON.parse(testMocks.bytes.toString('utf8')), config, 'same MockConfigFile without durations');
  const expect = JSON.parse((await download(page, 'export-expectations')).bytes.toString('utf8'));
  assertEq(Object.keys(expect), [caseName], 'the expectation names the MockConfigFile\'s test case');
  assertEq(expect[caseName].status, 'SUCCEEDED', 'status');
  assertEq(expect[caseName].input, { bucket: 'uploads', key: 'videos/cat.mp4' }, 'input');
  assertEq(expect[caseName].output?.key, 'videos/cat.mp4', 'output');
  assert(/asl test playground\.mocks\.json --definition playground\.asl\.json --expect playground\.expect\.json/.test(await page.textContent('[data-testid="export-note"]')), 'says how to run it');

  const defFile = await download(page, 'export-definition');
  const def = JSON.parse(defFile.bytes.toString('utf8'));
  // Keep the kit, so `asl test` can be run on it by hand (see the report).
  const kit = path.join(artifacts, 'asl-test-kit');
  await mkdir(kit, { recursive: true });
  await writeFile(path.join(kit, testMocks.name), testMocks.bytes);
  await writeFile(path.join(kit, 'playground.expect.json'), JSON.stringify(expect, null, 2));
  await writeFile(path.join(kit, defFile.name), defFile.bytes);
  assertEq(def.StartAt, 'Validate', 'definition');
  await page.screenshot({ path: path.join(artifacts, 'export-menu.png') });

  // The MockConfigFile reads back in the Mocks tab, as the core reads it, and runs to the end
  // (the breakpoint set above removed first).
  await page.click('[data-testid="export-button"]');
  await page.click('[data-testid="graph"] .asl-node[data-state="NotifyUser"]', { modifiers: ['Shift'] });
  await page.click('[data-testid="tab-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  await page.fill('[data-testid="mocks-editor"]', configFile.bytes.toString('utf8'));
  await page.click('[data-testid="run-button"]');
  await page.waitForFunction(() => /SUCCEEDED/.test(document.querySelector('[data-testid="output-panel"] [data-testid="run-status"]')?.textContent ?? ''));
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('a session whose task has no mock cannot be a test case, and says why', async ({ open }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.click('[data-testid="tab-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  await page.fill('[data-testid="mocks-editor"]', '{}');
  await page.click('[data-testid="export-button"]');
  await page.click('[data-testid="export-expectations"]');
  assert(/Validate has no mock/.test(await page.textContent('[data-testid="export-note"]')), 'names the task');
  assert(await page.isDisabled('[data-testid="export-history"]'), 'no run, no history');
});
