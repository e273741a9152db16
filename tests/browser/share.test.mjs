// Share links, deep links and the ?embed mode: a link restores definition, input, step and
// inspected state in a fresh browser; a link never replaces different saved work without the
// in-page question ("Keep mine" keeps it); a broken link says so; a too-long link is flagged;
// the project's own embed test page shows graph and stepper without an editor, themed and at
// its step; the Embed button's snippet opens; a link written by the earlier encoder
// (miniz_oxide) opens; while a slow link is read, the saved work stays and the page says so.
import path from 'node:path';
import { test, assert, assertEq } from './harness.mjs';

const editor = '[data-testid="definition-editor"]';
const counter = async (page) => (await page.textContent('[data-testid="step-counter"]')).trim();
const eventNo = async (page) => Number((await counter(page)).match(/event (\d+)/)?.[1] ?? -1);
const press = async (page, key, n = 1) => { for (let i = 0; i < n; i++) await page.keyboard.press(key); };
const saved = (page, key) => page.evaluate((k) => localStorage.getItem(`asl-playground.${k}`), key);
/** Types `text` as the definition and waits until it is saved (saves wait for a pause). */
const typeSaved = async (page, text) => {
  await page.fill(editor, text);
  await page.waitForFunction((t) => localStorage.getItem('asl-playground.definition') === t, text);
};

async function ready(page) {
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.click('[data-testid="stepper"]', { position: { x: 2, y: 2 } });
}

/** Opens the Share panel and returns the link it shows. */
async function shareLink(page) {
  await page.click('[data-testid="share-button"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  await page.click('[data-testid="share-panel"] [aria-label="Close"]');
  return link;
}

/** A link to an example as the gallery gives it, made in a fresh context. */
async function exampleLink(browser, baseUrl, id) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(baseUrl);
    await page.click('[data-testid="examples-button"]');
    await page.click(`[data-testid="example-${id}"]`);
    await ready(page);
    return { link: await shareLink(page), definition: await page.inputValue(editor) };
  } finally {
    await context.close();
  }
}

test('a share link round-trips at a step: definition, input, event and inspected state', async ({ open, context, errors }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await open();
  await ready(page);
  // The example's input plus a field of ours (the run must still go past event 7).
  const input = JSON.stringify({ ...JSON.parse(await page.inputValue('[data-testid="input-editor"]')), marker: 'ünïcode ✓' }, null, 2);
  await page.fill('[data-testid="input-editor"]', input);
  await page.waitForFunction((i) => localStorage.getItem('asl-playground.input') === i, input);
  await ready(page);
  await press(page, 'ArrowRight', 7);
  await page.click('[data-testid="graph"] .asl-node[data-state="Validate"]');
  assertEq(await eventNo(page), 7, 'at event 7');
  const definition = await page.inputValue(editor);
  await page.click('[data-testid="share-button"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  assert(/#s=v1\.[A-Za-z0-9_-]+$/.test(link), `link shape: ${link.slice(0, 80)}…`);
  assertEq(await page.evaluate(() => location.href), link, 'the address bar holds the link');
  await page.waitForFunction(() => /Copied|Select/.test(document.querySelector('[data-testid="share-copied"]').textContent));
  if (/Copied/.test(await page.textContent('[data-testid="share-copied"]'))) {
    assertEq(await page.evaluate(() => navigator.clipboard.readText()), link, 'clipboard');
  }
  assert(!(await page.$('[data-testid="share-too-long"]')), 'a short link has no warning');

  // A fresh browser (no saved work) opens it straight away.
  const other = await context.browser().newContext();
  try {
    const p2 = await other.newPage();
    const errs = [];
    p2.on('pageerror', (e) => errs.push(String(e)));
    await p2.goto(link);
    await p2.waitForSelector('[data-testid="graph"] svg');
    await p2.waitForFunction(() => /event 7 \//.test(document.querySelector('[data-testid="step-counter"]')?.textContent ?? ''));
    assertEq(await p2.inputValue(editor), definition, 'definition');
    assert(/\bselected\b/.test(await p2.getAttribute('[data-testid="graph"] .asl-node[data-state="Validate"]', 'class')), 'Validate selected');
    assert((await p2.textContent('[data-testid="inspect-panel"]')).includes('Validate'), 'the Inspect tab shows Validate');
    await p2.click('[data-testid="tab-input"]');
    assertEq(await p2.inputValue('[data-testid="input-editor"]'), input, 'input');
    assert(!(await p2.$('[data-testid="share-dialog"]')), 'no question: nothing of theirs to lose');
    // Saved once the page is idle (web/src/app.rs, SAVE_DELAY).
    await p2.waitForFunction((i) => localStorage.getItem('asl-playground.input') === i, input);
    // Their first edit takes the link out of the address bar (a reload does not re-open it).
    await p2.fill('[data-testid="input-editor"]', '{"edited": true}');
    await p2.waitForFunction(() => location.hash === '');
    assert(errs.length === 0, `page errors: ${errs.join(' | ')}`);
  } finally {
    await other.close();
  }
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('a link never replaces different saved work without asking; "Keep mine" keeps it', async ({ open, context, baseUrl, errors, artifacts }) => {
  const { link, definition: shared } = await exampleLink(context.browser(), baseUrl, 'choice');
  const page = await open();
  await page.waitForSelector(editor);
  const mine = '{\n  "Comment": "mine",\n  "StartAt": "Only",\n  "States": { "Only": { "Type": "Succeed" } }\n}\n';
  await typeSaved(page, mine);

  await page.goto(link);
  await page.waitForSelector('[data-testid="share-dialog"]');
  assertEq(await page.inputValue(editor), mine, 'behind the question, the page still shows their work');
  assertEq(await saved(page, 'definition'), mine, 'nothing saved over theirs while asking');
  await page.screenshot({ path: path.join(artifacts, 'share-dialog.png') });
  await page.click('[data-testid="share-keep"]');
  assert(!(await page.$('[data-testid="share-dialog"]')), 'the question is gone');
  assertEq(await page.inputValue(editor), mine, 'Keep mine keeps the editor');
  assertEq(await saved(page, 'definition'), mine, 'and the saved work');
  assertEq(await page.evaluate(() => location.hash), '', 'the link leaves the address bar');
  await page.reload();
  await page.waitForSelector(editor);
  assert(!(await page.$('[data-testid="share-dialog"]')), 'a reload does not ask again');
  assertEq(await page.inputValue(editor), mine, 'still theirs after a reload');

  // Asked again, "Open the shared session" replaces it (their choice).
  await page.goto(link);
  await page.click('[data-testid="share-open"]');
  await page.waitForFunction((s) => document.querySelector('[data-testid="definition-editor"]').value === s, shared);
  await page.waitForFunction((s) => localStorage.getItem('asl-playground.definition') === s, shared);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('a link to what the page already shows opens without asking; a deep link seeks and selects', async ({ open, baseUrl, errors }) => {
  const page = await open();
  await ready(page);
  const mine = JSON.stringify({ ...JSON.parse(await page.inputValue('[data-testid="input-editor"]')), mine: 1 });
  await page.fill('[data-testid="input-editor"]', mine);
  await page.waitForFunction((m) => localStorage.getItem('asl-playground.input') === m, mine);
  await ready(page);
  await page.goto(`${baseUrl}#state=Process&step=9`);
  await page.waitForFunction(() => /event 9 \//.test(document.querySelector('[data-testid="step-counter"]')?.textContent ?? ''));
  assert(/\bselected\b/.test(await page.getAttribute('[data-testid="graph"] .asl-node[data-state="Process"]', 'class')), 'Process selected');
  assertEq(await saved(page, 'input'), mine, 'a deep link keeps their work');
  // The same session's own link (the saved work equals it): no question.
  await ready(page);
  const link = await shareLink(page);
  await page.goto('about:blank');
  await page.goto(link.replace('#s=', '#step=3&s='));
  await page.waitForFunction(() => /event 3 \//.test(document.querySelector('[data-testid="step-counter"]')?.textContent ?? ''));
  assert(!(await page.$('[data-testid="share-dialog"]')), 'no question for the same work');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('a deep link to event 4,000,000,000 of an Express loop opens at the 25,000th, not a frozen page', async ({ open, baseUrl, errors }) => {
  const page = await open();
  await page.waitForSelector(editor);
  const loop = { StartAt: 'Spin', States: {
    Spin: { Type: 'Pass', Next: 'Check' },
    Check: { Type: 'Choice', Choices: [{ Variable: '$.stop', IsPresent: true, Next: 'Done' }], Default: 'Spin' },
    Done: { Type: 'Succeed' },
  } };
  await page.fill(editor, JSON.stringify(loop, null, 2));
  await page.selectOption('[data-testid="workflow-type"]', 'EXPRESS');
  await ready(page);
  await page.goto(`${baseUrl}#step=4000000000`);
  await page.waitForFunction(() => /event 25000 \//.test(document.querySelector('[data-testid="step-counter"]')?.textContent ?? ''));
  // Still responsive: the stepper moves.
  await ready(page);
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction(() => /event 24999 \//.test(document.querySelector('[data-testid="step-counter"]')?.textContent ?? ''));
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('a damaged link says why and changes nothing', async ({ open, baseUrl, errors }) => {
  const page = await open();
  await page.waitForSelector(editor);
  const before = await page.inputValue(editor);
  await page.goto(`${baseUrl}#s=v1.AAAA-broken`);
  await page.waitForSelector('[data-testid="share-error"]');
  assert(/cannot be opened/.test(await page.textContent('[data-testid="share-error"]')), 'a message');
  assertEq(await page.inputValue(editor), before, 'work unchanged');
  await page.goto(`${baseUrl}#s=v7.abc`);
  await page.reload();
  await page.waitForSelector('[data-testid="share-error"]');
  assert(/format v7/.test(await page.textContent('[data-testid="share-error"]')), 'a newer format is named');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('a link longer than 8,000 characters gets a clear message', async ({ open }) => {
  const page = await open();
  await page.waitForSelector(editor);
  // Incompressible input: a seeded stream of hex digits.
  const big = await page.evaluate(() => {
    let x = 12345, s = '';
    for (let i = 0; i < 20000; i++) { x = (x * 1103515245 + 12345) % 2147483648; s += (x >>> 16 & 15).toString(16); }
    return JSON.stringify({ blob: s });
  });
  await page.fill('[data-testid="input-editor"]', big);
  await page.click('[data-testid="share-button"]');
  const warning = await page.textContent('[data-testid="share-too-long"]');
  assert(/8,000/.test(warning) && /RFC 9110/.test(warning), warning);
  const len = (await page.inputValue('[data-testid="share-link"]')).length;
  assert(len > 8000 && warning.includes(len.toLocaleString('en-US')), `length ${len} named: ${warning}`);
});

test('the embed test page shows graph and stepper without an editor, themed and at its step', async ({ open, baseUrl, errors, artifacts }) => {
  const page = await open(`${baseUrl}embed-test.html`);
  const dark = page.frameLocator('#embed-dark');
  const light = page.frameLocator('#embed-light');
  await dark.locator('[data-testid="graph"] svg').waitFor();
  await light.locator('[data-testid="graph"] svg').waitFor();
  await dark.locator('[data-testid="step-counter"]').filter({ hasText: /event 12 \// }).waitFor();
  await light.locator('[data-testid="step-counter"]').filter({ hasText: /event 5 \// }).waitFor();
  for (const [name, frame] of [['dark', dark], ['light', light]]) {
    assertEq(await frame.locator('[data-testid="stepper"]').count(), 1, `${name}: a stepper`);
    assertEq(await frame.locator('textarea, [data-testid="definition-editor"], [data-testid="run-button"]').count(), 0, `${name}: no editor`);
    assertEq(await frame.locator('html').getAttribute('data-theme'), name, `${name}: theme`);
  }
  assertEq(await dark.locator('[data-testid="inspect-panel"]').count(), 1, 'the dark one has the inspector');
  assertEq(await light.locator('[data-testid="inspect-panel"]').count(), 0, 'inspector=0 hides it');
  assert(/\bselected\b/.test(await dark.locator('.asl-node[data-state="Validate"]').getAttribute('class')), 'Validate inspected');
  assert(/succeeded/.test(await dark.locator('.asl-node[data-state="Validate"]').getAttribute('class')), 'coloured at its step');
  // Sized to the frame: nothing scrolls the embed's own page.
  for (const id of ['embed-dark', 'embed-light']) {
    const handle = await page.$(`#${id}`);
    const frame = await handle.contentFrame();
    const { scroll, inner } = await frame.evaluate(() => ({ scroll: document.documentElement.scrollHeight, inner: innerHeight }));
    assert(scroll <= inner + 1, `${id} fits its iframe: ${scroll} > ${inner}`);
  }
  // Steps work in the embed (read-only is about the texts, not the stepper).
  await dark.locator('[data-testid="step-forward"]').click();
  await dark.locator('[data-testid="step-counter"]').filter({ hasText: /event 13 \// }).waitFor();
  assert(!(await page.evaluate(() => localStorage.getItem('asl-playground.definition'))), 'an embed saves nothing');
  await page.screenshot({ path: path.join(artifacts, 'embed-test.png'), fullPage: true });
  // An embed without a session says what it needs.
  const bare = await open(`${baseUrl}?embed`);
  await bare.waitForSelector('[data-testid="embed-error"]');
  assert(/needs a session/.test(await bare.textContent('[data-testid="embed-error"]')), 'message');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('the Embed button gives an iframe snippet that opens the session', async ({ open, errors }) => {
  const page = await open();
  await ready(page);
  await press(page, 'ArrowRight', 4);
  await page.click('[data-testid="embed-button"]');
  const snippet = () => page.inputValue('[data-testid="embed-snippet"]');
  assert(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/\?embed&amp;theme=auto#s=v1\.[A-Za-z0-9_-]+" title="ASL Playground: Video pipeline"/.test(await snippet()), await snippet());
  await page.selectOption('[data-testid="embed-theme"]', 'dark');
  await page.click('[data-testid="embed-inspector"]');
  const html = await snippet();
  assert(html.includes('theme=dark&amp;inspector=0'), html);
  const src = html.match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  const embed = await open(src);
  await embed.waitForSelector('[data-testid="graph"] svg');
  await embed.waitForFunction(() => /event 4 \//.test(document.querySelector('[data-testid="step-counter"]')?.textContent ?? ''));
  assertEq(await embed.evaluate(() => document.documentElement.dataset.theme), 'dark', 'theme');
  assertEq(await embed.locator('[data-testid="inspect-panel"]').count(), 0, 'no inspector');
  // Autoplay: the embed plays on from the link's event by itself.
  await page.click('[data-testid="embed-autoplay"]');
  const playing = (await snippet()).match(/src="([^"]+)"/)[1].replaceAll('&amp;', '&');
  assert(playing.includes('&autoplay=1#'), playing);
  const played = await open(playing);
  await played.waitForFunction(() => Number(document.querySelector('[data-testid="step-counter"]')?.textContent.match(/event (\d+)/)?.[1]) > 5);
  // Escape closes the panel.
  await page.keyboard.press('Escape');
  assert(!(await page.$('[data-testid="embed-panel"]')), 'Escape closes the Embed panel');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

// Made by asl-core's own encoder (miniz_oxide, level 9) before the playground compressed with the
// browser's CompressionStream: `encodeShare` of the JS API on 2026-12-06 (the same bytes the
// CLI and the playground wrote then). Fixed on purpose: links already pasted into tickets and
// docs must keep opening.
const OLD_LINK = 'v1.dZBNCsIwEIWvEgahCqELl92Joq6kUJfZhHaQYn4kiaiUXssLeDGbpmnrwk3CzPvevGEaqCCDhilCGGy1lKgcg6wruCJaVETU6sqABqBw3LjNABwMoptLDq1X-mFkAsaO751fNwz2nFs7uIOUc8MlOjT2x-MlidbyC6aLYA1Z6V4byd0yOaIQmpKmTShZpKobsmIQ7e0s4YTPYfedVhiZSMTun32Le1kiVqPLf93TAoV6OqFPD_zj8zaixz2iIFtTsK4j-7NA-wU';
const OLD_DEFINITION = JSON.stringify({ Comment: 'an old link', StartAt: 'Greet', States: {
  Greet: { Type: 'Pass', Parameters: { 'message.$': "States.Format('Hello, {}', $.name)" }, Next: 'Done' },
  Done: { Type: 'Succeed' },
} }, null, 2);

test('a link made by the earlier encoder (miniz_oxide, as the CLI and the JS API write them) opens', async ({ open, baseUrl, errors }) => {
  const page = await open(`${baseUrl}#s=${OLD_LINK}`);
  await page.waitForFunction((d) => document.querySelector('[data-testid="definition-editor"]')?.value === d, OLD_DEFINITION);
  await page.waitForFunction(() => /event 2 \//.test(document.querySelector('[data-testid="step-counter"]')?.textContent ?? ''));
  // Its input, as the page saves it (the save follows the texts' change).
  await page.waitForFunction(() => localStorage.getItem('asl-playground.input') === '{\n  "name": "wörld"\n}');
  assert(/\bselected\b/.test(await page.getAttribute('[data-testid="graph"] .asl-node[data-state="Greet"]', 'class')), 'Greet inspected');
  // The page's own link for the same session opens too (made by the browser's compression).
  const link = await shareLink(page);
  assert(/#s=v1\.[A-Za-z0-9_-]+$/.test(link), link);
  const again = await open(link.replace(/^[^#]*/, `${baseUrl}`));
  await again.waitForFunction((d) => document.querySelector('[data-testid="definition-editor"]')?.value === d, OLD_DEFINITION);
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

/** Holds every DecompressionStream's output until `window.releaseLinks()`: a slow link. */
function holdLinks() {
  const Real = window.DecompressionStream;
  let release;
  const gate = new Promise((r) => { release = r; });
  window.releaseLinks = release;
  window.DecompressionStream = function (format) {
    const inner = new Real(format);
    const held = new TransformStream({ async transform(chunk, out) { await gate; out.enqueue(chunk); } });
    return { writable: inner.writable, readable: inner.readable.pipeThrough(held) };
  };
}

test('while a slow link is read, the page keeps the saved work and says so; embeds wait for it', async ({ open, context, baseUrl, errors, artifacts }) => {
  const page = await open();
  await page.waitForSelector(editor);
  const mine = '{\n  "Comment": "mine while loading",\n  "StartAt": "Only",\n  "States": { "Only": { "Type": "Succeed" } }\n}\n';
  await typeSaved(page, mine);
  await context.addInitScript(holdLinks);
  const slow = await open(`${baseUrl}#s=${OLD_LINK}`);
  await slow.waitForSelector('[data-testid="share-opening"]');
  assertEq(await slow.inputValue(editor), mine, 'the saved work stays on the page while the link is read');
  assertEq(await saved(slow, 'definition'), mine, 'and in storage');
  await slow.screenshot({ path: path.join(artifacts, 'share-opening.png') });
  await slow.evaluate(() => window.releaseLinks());
  await slow.waitForSelector('[data-testid="share-dialog"]');
  assert(!(await slow.$('[data-testid="share-opening"]')), 'the line is gone once read');
  assertEq(await slow.inputValue(editor), mine, 'then asked, not replaced');
  // An embed says it is opening the link, then shows it.
  const embed = await open(`${baseUrl}?embed#s=${OLD_LINK}`);
  await embed.waitForSelector('[data-testid="embed-loading"]');
  assert(!(await embed.$('[data-testid="graph"]')), 'no graph before the link is read');
  await embed.evaluate(() => window.releaseLinks());
  await embed.waitForSelector('[data-testid="graph"] .asl-node[data-state="Greet"]');
  await embed.waitForFunction(() => /event 2 \//.test(document.querySelector('[data-testid="step-counter"]')?.textContent ?? ''));
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('on a first visit, what the user types while a slow link is read is theirs: asked, not replaced', async ({ open, context, baseUrl, errors }) => {
  await context.addInitScript(holdLinks);
  const page = await open(`${baseUrl}#s=${OLD_LINK}`);
  await page.waitForSelector(editor);
  const typed = '{\n  "Comment": "typed before the link arrived",\n  "StartAt": "Only",\n  "States": { "Only": { "Type": "Succeed" } }\n}\n';
  await page.fill(editor, typed);
  // Released at once, before the typing is saved (saves wait for a pause): what counts is what
  // the page shows, not what storage holds (the example, saved at start).
  await page.evaluate(() => window.releaseLinks());
  await page.waitForSelector('[data-testid="share-dialog"]');
  assertEq(await page.inputValue(editor), typed, 'the typed text stays until the user chooses');
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});
