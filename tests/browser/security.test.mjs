// Security: hostile text in a definition, its input and mocks — typed, opened from a share link,
// shown in the ?embed view or drawn by embed.js — is shown as text and never runs; the page's
// Content-Security-Policy is in force and never violated; the page asks for nothing but its own
// files; the shipped wasm has no test-only panic trigger.
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { test, assert, assertEq } from './harness.mjs';
import { servePackage, hostPage } from './wasm-package.mjs';

const editor = '[data-testid="definition-editor"]';

// Each sets window.__pwned (or opens a dialog) if it ever runs as script or markup. Each fits in a
// state name (AWS allows 80 characters).
const HOSTILE = {
  script: '<script>window.__pwned="script"</script>',
  img: '<img src=x onerror="window.__pwned=\'img\'">',
  js: 'javascript:window.__pwned="url"',
  style: '</style><img src=x onerror="window.__pwned=\'style\'"><style>',
  fo: '<foreignObject><iframe src="javascript:parent.__pwned=1"/></foreignObject>',
  attr: '"><a href="javascript:alert(1)"><img src=x onerror="__pwned=\'attr\'">',
};
const ALL = Object.values(HOSTILE);

// A valid machine whose names, comments and values are all hostile: a Task (mocked), a Choice, a
// Pass with hostile Result, and a Fail whose Error and Cause are hostile.
function hostileDefinition() {
  const [task, choice, pass, fail] = [HOSTILE.img, HOSTILE.style, HOSTILE.fo, HOSTILE.attr];
  return JSON.stringify({
    Comment: HOSTILE.script,
    StartAt: task,
    States: {
      [task]: { Type: 'Task', Comment: HOSTILE.js, Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'FunctionName': HOSTILE.js, 'Payload.$': '$' }, ResultPath: '$.result', Next: choice },
      [choice]: { Type: 'Choice', Comment: HOSTILE.fo, Choices: [{ Variable: '$.result.Payload', StringEquals: HOSTILE.script, Next: fail }], Default: pass },
      [pass]: { Type: 'Pass', Comment: HOSTILE.style, Result: { [HOSTILE.attr]: HOSTILE.js, link: HOSTILE.js, html: HOSTILE.fo }, ResultPath: '$.pass', End: true },
      [fail]: { Type: 'Fail', Error: HOSTILE.img, Cause: HOSTILE.script },
    },
  }, null, 2);
}

/** Watches for anything hostile running: the canary, dialogs, new script/img/iframe elements. */
async function arm(page) {
  const dialogs = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  return dialogs;
}

async function assertInert(page, dialogs, where) {
  assertEq(await page.evaluate(() => window.__pwned), undefined, `${where}: window.__pwned`);
  assertEq(dialogs, [], `${where}: dialogs`);
  // The page itself has none of these; any would have come from user text parsed as markup.
  const injected = await page.evaluate(() => [
    ...document.querySelectorAll('img, iframe, object, embed, foreignObject, a[href^="javascript"], script:not([src])'),
  ].map((e) => e.outerHTML.slice(0, 80)));
  assertEq(injected, [], `${where}: elements from user text`);
}

async function openHostile(page, definition, input, mocks) {
  await page.waitForSelector(editor);
  await page.fill(editor, definition);
  await page.fill('[data-testid="input-editor"]', input);
  await page.click('[data-testid="tab-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  await page.fill('[data-testid="mocks-editor"]', mocks);
}

test('hostile names, comments, input and mocks are shown as text and never run (escaping alone: CSP bypassed)', async ({ browser, baseUrl, artifacts }) => {
  // Without the CSP the browser would run any markup that slipped through: this proves the escaping.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    const dialogs = await arm(page);
    await page.goto(baseUrl);
    const input = JSON.stringify({ [HOSTILE.img]: HOSTILE.script, link: HOSTILE.js, svg: HOSTILE.fo });
    const mocks = JSON.stringify({ [HOSTILE.img]: { Return: { Payload: HOSTILE.script, [HOSTILE.style]: HOSTILE.attr } } });
    await openHostile(page, hostileDefinition(), input, mocks);
    await page.waitForSelector('[data-testid="no-problems"], [data-testid="problem"]');
    const problemsFirst = await page.textContent('[data-testid="problems"]');
    assert(!/error/i.test(await page.getAttribute('[data-testid="problems"] > div', 'class')), `the hostile definition is valid: ${problemsFirst}`);
    // The graph draws the hostile names as text.
    await page.waitForFunction((name) => document.querySelector('[data-testid="graph"] svg')?.textContent.includes(name), HOSTILE.fo.slice(0, 20));
    const svgText = await page.textContent('[data-testid="graph"] svg');
    for (const s of [HOSTILE.img, HOSTILE.attr]) assert(svgText.includes(s.slice(0, 24)), `graph shows ${s} as text`);
    const states = await page.$$eval('[data-testid="graph"] .asl-node[data-state]', (ns) => ns.map((n) => n.getAttribute('data-state')));
    assert(states.includes(HOSTILE.img) && states.includes(HOSTILE.attr), `state paths kept verbatim in data-state: ${JSON.stringify(states)}`);
    await assertInert(page, dialogs, 'graph');

    // Run: the mock returns the <script> string, the Choice takes the Fail branch.
    await page.click('[data-testid="run-button"]');
    await page.waitForSelector('[data-testid="output-panel"] [data-testid="run-status"]');
    assertEq((await page.textContent('[data-testid="run-status"]')).trim(), 'FAILED', 'run status');
    const error = await page.textContent('[data-testid="output-panel"]');
    assert(error.includes(HOSTILE.img) && error.includes(HOSTILE.script), `error and cause shown as text: ${error.slice(0, 300)}`);
    await assertInert(page, dialogs, 'output');

    // History: every event's JSON.
    await page.click('[data-testid="tab-history"]');
    const rows = page.locator('[data-testid="history-row"]');
    const n = await rows.count();
    assert(n >= 6, `history rows: ${n}`);
    for (let i = 0; i < n; i++) {
      await rows.nth(i).click();
      await page.waitForSelector('[data-testid="event-json"]');
    }
    const started = await page.evaluate(() => document.querySelector('[data-testid="event-json"]').textContent);
    assert(started.length > 0, 'event JSON shown');
    await assertInert(page, dialogs, 'history');

    // Inspect each state: stages, context, variables.
    const nodes = await page.$$('[data-testid="graph"] .asl-node[data-state]');
    for (const node of nodes) {
      await node.click();
      await page.click('[data-testid="tab-inspect"]');
    }
    await page.waitForSelector('[data-testid="stage-value"]');
    const inspected = await page.textContent('[data-testid="inspect-panel"]');
    assert(ALL.some((s) => inspected.includes(JSON.stringify(s).slice(1, 20))), `inspector shows hostile values as JSON text: ${inspected.slice(0, 200)}`);
    await assertInert(page, dialogs, 'inspector');

    // The editor overlay and the mocks form show them as text too.
    await page.click('[data-testid="tab-mocks"]');
    await page.click('[data-testid="mocks-view-form"]');
    await page.waitForSelector('[data-testid="mocks-form"]');
    const overlay = await page.evaluate(() => document.querySelector('.editor pre.overlay')?.textContent ?? '');
    assert(overlay.includes('<script>'), 'editor overlay holds the text');
    await assertInert(page, dialogs, 'mocks form');

    // An invalid variant: diagnostics name hostile states (problems list, graph titles, a dangling edge).
    const broken = JSON.parse(hostileDefinition());
    broken.States[HOSTILE.fo].Next = HOSTILE.script;
    delete broken.States[HOSTILE.fo].End;
    await page.fill(editor, JSON.stringify(broken, null, 2));
    await page.waitForFunction((s) => document.querySelector('[data-testid="problems"]')?.textContent.includes(s), HOSTILE.script);
    const problems = await page.textContent('[data-testid="problems"]');
    assert(problems.includes(HOSTILE.script), `problems name the missing state as text: ${problems.slice(0, 300)}`);
    await page.waitForSelector('[data-testid="graph"] [data-missing]');
    await page.hover('[data-testid="graph"] .asl-node[data-state]');
    await page.screenshot({ path: path.join(artifacts, 'security-hostile.png') });
    await assertInert(page, dialogs, 'diagnostics');
  } finally {
    await context.close();
  }
});

test('the Content-Security-Policy is in force: no inline script, no eval, and the app raises no violation', async ({ open, errors }) => {
  const page = await open();
  await page.waitForSelector(editor);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert(/script-src 'self' 'wasm-unsafe-eval'(;|$)/.test(csp), `script-src: ${csp}`);
  assert(!/unsafe-eval'|unsafe-inline'[^;]*;?\s*$/.test(csp.match(/script-src[^;]*/)[0].replace("'wasm-unsafe-eval'", '')), `no unsafe script sources: ${csp}`);
  // The page as built has no inline script at all.
  const inline = await page.$$eval('script', (ss) => ss.filter((s) => !s.src).length);
  assertEq(inline, 0, 'inline scripts in the page');
  // The policy is enforced: an inline script and eval are refused and reported.
  const verdict = await page.evaluate(async () => {
    const seen = [];
    document.addEventListener('securitypolicyviolation', (e) => seen.push(e.violatedDirective));
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.append(s);
    // A string timer is compiled like eval, in the page (code evaluated by the test driver itself
    // is exempt from the policy).
    setTimeout('window.__evalRan = true', 0);
    await new Promise((r) => setTimeout(r, 100));
    return { inline: window.__inlineRan === true, evalRan: window.__evalRan === true, seen };
  });
  assertEq(verdict.inline, false, 'inline script ran');
  assertEq(verdict.evalRan, false, 'eval ran');
  assert(verdict.seen.length >= 2 && verdict.seen.every((d) => d.startsWith('script-src')), `violations reported: ${verdict.seen}`);
  errors.length = 0; // the two refusals above are logged as errors, on purpose
});

test('using the page, a share link and the ?embed view raises no CSP violation and requests nothing beyond the page\'s own files', async ({ context, baseUrl, errors }) => {
  const origin = new URL(baseUrl).origin;
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(baseUrl);
  await page.waitForSelector('[data-testid="graph"] svg');
  // Everything that draws or shows user data: run, history, inspector, examples, dark mode.
  await page.click('[data-testid="run-button"]');
  await page.waitForSelector('[data-testid="run-status"]');
  await page.click('[data-testid="tab-history"]');
  await page.locator('[data-testid="history-row"]').first().click();
  await page.click('[data-testid="graph"] .asl-node[data-state="Validate"]');
  await page.click('[data-testid="tab-inspect"]');
  await page.click('[data-testid="theme-toggle"]');
  await page.click('[data-testid="examples-button"]');
  await page.click('[data-testid="example-jsonata-variables"]').catch(async () => {
    await page.locator('[data-testid^="example-"]').nth(3).click();
  });
  await page.click('[data-testid="run-button"]');
  await page.waitForSelector('[data-testid="run-status"]');
  // A hostile definition too (markup in it would make the browser fetch `x`).
  await page.fill(editor, hostileDefinition());
  await page.waitForTimeout(400);
  await page.reload();
  await page.waitForSelector('[data-testid="graph"] svg');
  // Its share link, opened in the playground and in the ?embed view.
  await page.click('[data-testid="share-button"]');
  const link = await page.inputValue('[data-testid="share-link"]');
  await page.goto(link);
  await page.waitForSelector('[data-testid="graph"] svg');
  assertEq(await page.evaluate(() => window.__violations), [], 'CSP violations (share link)');
  await page.goto(`${baseUrl}?embed${new URL(link).hash}`);
  await page.waitForSelector('[data-testid="embed"] [data-testid="graph"] svg');
  const foreign = requests.filter((u) => new URL(u).origin !== origin);
  assertEq(foreign, [], 'requests to other origins');
  const unknown = requests.filter((u) => { const p = new URL(u).pathname; return p !== '/' && !/^\/[\w.-]+\.(js|wasm|css|svg)(\?instance=\d+)?$/.test(p + new URL(u).search); });
  assertEq(unknown, [], 'requests for anything but the built files');
  assertEq(await page.evaluate(() => window.__violations), [], 'CSP violations');
  assertEq(errors, [], 'console errors');
});

test('the shipped build has no test-only panic trigger', async ({ baseUrl }) => {
  const dist = process.env.BROWSER_DIST;
  assert(dist, 'run.mjs sets BROWSER_DIST');
  const wasm = (await readdir(dist)).filter((f) => f.endsWith('.wasm'));
  assertEq(wasm.length, 1, `one wasm in ${dist}`);
  const bytes = await readFile(path.join(dist, wasm[0]));
  assert(!bytes.includes(Buffer.from('__asl_test_panic__')), 'the trigger text is not in the wasm');
  assert(baseUrl, 'served');
});

const hostileInput = () => JSON.stringify({ [HOSTILE.img]: HOSTILE.script, link: HOSTILE.js, svg: HOSTILE.fo });
const hostileMocks = () => JSON.stringify({ [HOSTILE.img]: { Return: { Payload: HOSTILE.script, [HOSTILE.style]: HOSTILE.attr } } });

test('a share link and its ?embed view with hostile text: shown as text, nothing runs, nothing requested elsewhere', async ({ browser, baseUrl, artifacts }) => {
  // The link, made by the page's Share button.
  let link;
  const maker = await browser.newContext();
  try {
    const page = await maker.newPage();
    await page.goto(baseUrl);
    await openHostile(page, hostileDefinition(), hostileInput(), hostileMocks());
    await page.waitForSelector('[data-testid="graph"] svg');
    await page.click('[data-testid="share-button"]');
    link = await page.inputValue('[data-testid="share-link"]');
    assert(/#s=v1\./.test(link), `a share link: ${link.slice(0, 60)}`);
  } finally {
    await maker.close();
  }
  // Opened in a fresh browser, escaping alone (CSP bypassed), every request watched.
  const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 720 } });
  const origin = new URL(baseUrl).origin;
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  try {
    const page = await context.newPage();
    const dialogs = await arm(page);
    await page.goto(link);
    await page.waitForFunction((d) => document.querySelector('[data-testid="definition-editor"]')?.value === d, hostileDefinition());
    await page.waitForSelector('[data-testid="graph"] svg');
    await assertInert(page, dialogs, 'share link');
    await page.click('[data-testid="run-button"]');
    await page.waitForSelector('[data-testid="output-panel"] [data-testid="run-status"]');
    assertEq((await page.textContent('[data-testid="run-status"]')).trim(), 'FAILED', 'the shared run');
    assert((await page.textContent('[data-testid="output-panel"]')).includes(HOSTILE.script), 'the cause shown as text');
    await assertInert(page, dialogs, 'share link, run');

    // The same session in the ?embed view (graph, stepper, inspector).
    const embed = await context.newPage();
    const embedDialogs = await arm(embed);
    await embed.goto(`${baseUrl}?embed${new URL(link).hash}`);
    await embed.waitForSelector('[data-testid="embed"] [data-testid="graph"] svg');
    const svgText = await embed.textContent('[data-testid="graph"] svg');
    assert(svgText.includes(HOSTILE.img.slice(0, 24)), 'the embed draws the hostile names as text');
    await embed.click('[data-testid="step-end"]');
    await embed.waitForFunction(() => /event ([1-9]\d*) \/ \1\b/.test(document.querySelector('[data-testid="step-counter"]')?.textContent ?? ''));
    for (const node of await embed.$$('[data-testid="graph"] .asl-node[data-state]')) await node.click();
    await embed.screenshot({ path: path.join(artifacts, 'security-embed.png') });
    await assertInert(embed, embedDialogs, '?embed');
    const foreign = requests.filter((u) => new URL(u).origin !== origin);
    assertEq(foreign, [], 'requests to other origins from a share link or ?embed');
  } finally {
    await context.close();
  }
});

test('embed.js draws hostile <pre class="asl"> blocks as text, stepper included, and nothing runs', async ({ context }) => {
  const server = await servePackage({
    'index.html': hostPage(JSON.parse(hostileDefinition()), { 'data-input': hostileInput(), 'data-mocks': hostileMocks(), 'data-step': '3' }),
  });
  const origin = new URL(server.url).origin;
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  try {
    const page = await context.newPage();
    const dialogs = await arm(page);
    await page.goto(server.url);
    await page.waitForSelector('figure.asl-diagram svg');
    const svgText = await page.textContent('figure.asl-diagram svg');
    assert(svgText.includes(HOSTILE.img.slice(0, 24)) && svgText.includes(HOSTILE.attr.slice(0, 24)), 'the names drawn as text');
    for (const move of ['end', 'home', 'forward']) await page.click(`[data-move="${move}"]`).catch(() => {});
    assertEq(await page.evaluate(() => window.__pwned), undefined, 'window.__pwned');
    assertEq(dialogs, [], 'dialogs');
    const injected = await page.evaluate(() => [...document.querySelectorAll('figure img, figure iframe, figure foreignObject, figure script, figure a[href^="javascript"]')].length);
    assertEq(injected, 0, 'elements from user text in the figure');
    assertEq(requests.filter((u) => new URL(u).origin !== origin), [], 'requests to other origins');
  } finally {
    await server.close();
  }
});
