// Running a state machine: the video pipeline runs to SUCCEEDED with its output, history and a
// coloured graph; a caught failure and a missing mock are reported as the core reports them.
import path from 'node:path';
import { test, assert, assertEq } from './harness.mjs';

async function runAndWait(page) {
  await page.click('[data-testid="run-button"]');
  await page.waitForSelector('[data-testid="output-panel"] [data-testid="run-status"]');
  return (await page.textContent('[data-testid="output-panel"] [data-testid="run-status"]')).trim();
}

// Runs, requires SUCCEEDED (the output panel's text is the reason when not) and gives the output.
async function runForOutput(page) {
  const status = await runAndWait(page);
  const why = status === 'SUCCEEDED' ? '' : await page.textContent('[data-testid="output-panel"]');
  assertEq(status, 'SUCCEEDED', `status (${why})`);
  return JSON.parse(await page.textContent('[data-testid="run-output"]'));
}

test('run the video pipeline: output, history and a coloured graph', async ({ open, errors, artifacts }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="graph"] svg');
  assertEq(await runAndWait(page), 'SUCCEEDED', 'status');
  const out = JSON.parse(await page.textContent('[data-testid="run-output"]'));
  assertEq(out.key, 'videos/cat.mp4', 'input carried through');
  assertEq(out.validation, { valid: true, durationSeconds: 42 }, 'ResultSelector + ResultPath of Validate');
  assertEq(out.media?.[1]?.thumbnails?.length, 3, 'Parallel branch results');
  assertEq(out.notification, { messageId: '5b1a2c3d-0000-4000-8000-000000000001' }, 'SNS result');
  // Every state node is coloured as succeeded.
  const classes = await page.$$eval('[data-testid="graph"] .asl-node[data-state]', (ns) => ns.map((n) => n.getAttribute('class')));
  assertEq(classes.length, 6, 'state nodes');
  assert(classes.every((c) => /succeeded/.test(c)), `node classes: ${classes.join(' | ')}`);
  await page.screenshot({ path: path.join(artifacts, 'run-video-pipeline.png') });
  await page.click('[data-testid="tab-history"]');
  const rows = page.locator('[data-testid="history-row"]');
  assert(await rows.count() > 10, `history rows: ${await rows.count()}`);
  // The list is windowed and follows the cursor: at the end it shows the last event, after Home
  // the first.
  assertEq((await rows.last().locator('[data-testid="history-type"]').textContent()).trim(), 'ExecutionSucceeded', 'last event');
  await page.click('[data-testid="step-home"]');
  assertEq((await rows.first().locator('[data-testid="history-type"]').textContent()).trim(), 'ExecutionStarted', 'first event');
  await rows.first().click();
  const detail = JSON.parse(await page.textContent('[data-testid="event-json"]'));
  assertEq(detail.type, 'ExecutionStarted', 'event JSON in AWS shape');
  assertEq(JSON.parse(detail.executionStartedEventDetails.input), { bucket: 'uploads', key: 'videos/cat.mp4' }, 'started with the input');
  await page.screenshot({ path: path.join(artifacts, 'history.png') });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});

test('catch to a fallback: the failing task is caught and the run succeeds', async ({ open }) => {
  const page = await open();
  await page.click('[data-testid="examples-button"]');
  await page.click('[data-testid="example-catch-fallback"]');
  assertEq(await runAndWait(page), 'SUCCEEDED', 'status');
  const out = JSON.parse(await page.textContent('[data-testid="run-output"]'));
  assertEq(out.quote, { price: 9.99, source: 'cache' }, 'fallback result');
  assertEq(out.error?.Error, 'States.TaskFailed', 'error kept by ResultPath');
  const cls = await page.getAttribute('[data-testid="graph"] .asl-node[data-state="FetchPrice"]', 'class');
  assert(/caught/.test(cls), `FetchPrice is shown caught: ${cls}`);
});

test('a task without a mock pauses the run and says which', async ({ open }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="graph"] svg');
  await page.click('[data-testid="tab-mocks"]');
  await page.click('[data-testid="mocks-view-json"]');
  await page.fill('[data-testid="mocks-editor"]', '{}');
  await runAndWait(page);
  const err = await page.textContent('[data-testid="run-error"]');
  assert(/Validate/.test(err), `error names the task: ${err}`);
});

test('invalid input is reported, not run', async ({ open }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="input-editor"]');
  await page.fill('[data-testid="input-editor"]', '{"bucket": ');
  assertEq(await runAndWait(page), 'INVALID', 'status');
  assert(/input/i.test(await page.textContent('[data-testid="run-error"]')), 'says the input is wrong');
});

// JSONata regexes in the playground run on the browser's own RegExp (web/src/js_regex.rs): match
// indexes are UTF-16 offsets, groups that take no part are "", flags i and m apply, and an
// invalid pattern is a diagnostic. Expected values are JavaScript's (JSONata's reference).
test('JSONata regexes run with JavaScript semantics and UTF-16 positions', async ({ open, errors }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="definition-editor"]');
  const def = {
    QueryLanguage: 'JSONata',
    StartAt: 'R',
    States: {
      R: {
        Type: 'Pass',
        Output: {
          m: '{% $match($states.input.s, /(b)(\\d)?(z)?é/i) %}',
          r: '{% $replace($states.input.s, /([a-z])é/, "<$1>") %}',
          split: '{% $split("a1b22c", /\\d+/) %}',
          contains: '{% $contains("Hello", /^h/i) %}',
          called: '{% /l+/("hello").match %}',
          multiline: '{% $match("a\\nb", /^b$/m).index %}',
          count: '{% $count($match("aXbXc", /X/)) %}',
          picture: '{% $toMillis("2024-03-05", "[Y0001]-[M01]-[D01]") %}',
        },
        End: true,
      },
    },
  };
  await page.fill('[data-testid="definition-editor"]', JSON.stringify(def, null, 2));
  await page.fill('[data-testid="input-editor"]', JSON.stringify({ s: '😀 Añb1é xé' }));
  const out = await runForOutput(page);
  assertEq(out.m, { match: 'b1é', index: 5, groups: ['b', '1', ''] }, '$match: a UTF-16 offset after an emoji');
  assertEq(out.r, '😀 Añb1é <x>', '$replace with a group');
  assertEq(out.split, ['a', 'b', 'c'], '$split');
  assertEq(out.contains, true, 'flag i');
  assertEq(out.called, 'll', 'a regex called as a function');
  assertEq(out.multiline, 2, 'flag m');
  assertEq(out.count, 2, 'global matching');
  assertEq(out.picture, Date.UTC(2024, 2, 5), '$toMillis picture (a regex built from it)');
  assertEq(errors, [], 'console errors');
  // An invalid pattern is reported where it is written, as the native build reports it.
  def.States.R.Output = { bad: '{% $match("a", /[b-a]/) %}' };
  await page.fill('[data-testid="definition-editor"]', JSON.stringify(def, null, 2));
  const problem = page.locator('[data-testid="problem"][data-code="INVALID_JSONATA_EXPRESSION"]').first();
  await problem.waitFor();
  const text = await problem.textContent();
  assert(/S0303/.test(text) && /regular expression/i.test(text), `diagnostic: ${text}`);
});

// Case mapping in the playground is the browser's own toUpperCase/toLowerCase (web/src/js_text.rs:
// the page has no Unicode case tables of its own). Expected values are JavaScript's (JSONata's
// reference): special casing (ß → SS, ﬁ → FI), title-case letters, final sigma, İ's dot.
test('JSONata $uppercase and $lowercase map text beyond ASCII as JavaScript does', async ({ open, errors }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="definition-editor"]');
  const upper = 'straße ǆ ﬁ éà ÿ a1';
  const lower = 'ΟΔΟΣ ΟΔΟΣ İSTANBUL ÀÉ Ǆ A1';
  const def = {
    QueryLanguage: 'JSONata',
    StartAt: 'C',
    States: {
      C: {
        Type: 'Pass',
        Output: {
          up: '{% $uppercase($states.input.upper) %}',
          low: '{% $lowercase($states.input.lower) %}',
          // The same builtins in the full evaluator (a block is not on its shortcut, fast.rs).
          both: '{% ($l := $states.input.lower; $uppercase($l) & "|" & $lowercase($states.input.upper)) %}',
        },
        End: true,
      },
    },
  };
  await page.fill('[data-testid="definition-editor"]', JSON.stringify(def, null, 2));
  await page.fill('[data-testid="input-editor"]', JSON.stringify({ upper, lower }));
  const out = await runForOutput(page);
  assertEq(out.up, upper.toUpperCase(), '$uppercase');
  assertEq(out.up, 'STRASSE Ǆ FI ÉÀ Ÿ A1', '$uppercase, spelt out');
  assertEq(out.low, lower.toLowerCase(), '$lowercase');
  assertEq(out.low.slice(0, 9), 'οδος οδος', '$lowercase: final sigma');
  assertEq(out.both, `${lower.toUpperCase()}|${upper.toLowerCase()}`, 'both again');
  assertEq(errors, [], 'console errors');
});

// Numbers the page reads itself for the most part (asl_core::text::parse_f64) and with the
// browser's parseFloat beyond 19 significant digits or powers of ten past 22 (web/src/js_text.rs:
// the page has no float reader of its own). Each must be the double nearest to its text, as
// JavaScript's Number gives it; written in the definition's and the input's JSON and read by
// JSONata's $number.
test('numbers read in the page are the nearest doubles, as JavaScript reads them', async ({ open, errors }) => {
  const page = await open();
  await page.waitForSelector('[data-testid="definition-editor"]');
  const texts = [
    '123456789012345678901234567890', '1e23', '8.98846567431158e307', '2.2250738585072014e-308',
    '4.9e-324', '0.1000000000000000055511151231257827', '3.14', '-2.5e-3', '12345.678e-30',
  ];
  const def = {
    QueryLanguage: 'JSONata',
    StartAt: 'N',
    States: {
      N: {
        Type: 'Pass',
        Output: {
          input: '{% $states.input.n %}',
          number: `{% [${texts.map((t) => `$number("${t}")`).join(', ')}] %}`,
          literal: '{% [123456789012345678901234567890, 1e23, 0.1000000000000000055511151231257827] %}',
          written: 'WRITTEN',
        },
        End: true,
      },
    },
  };
  // Written as JSON text so that the digits reach the page as they are (not as JS re-prints them).
  const defText = JSON.stringify(def, null, 2).replace('"WRITTEN"', '[1e23, 123456789012345678901234567890, 5e-324]');
  await page.fill('[data-testid="definition-editor"]', defText);
  await page.fill('[data-testid="input-editor"]', `{"n": [${texts.join(', ')}]}`);
  const out = await runForOutput(page);
  assertEq(out.input, texts.map(Number), 'the input JSON');
  assertEq(out.number, texts.map(Number), '$number');
  assertEq(out.literal, [123456789012345678901234567890, 1e23, 0.1000000000000000055511151231257827], 'JSONata number literals');
  assertEq(out.written, [1e23, 123456789012345678901234567890, 5e-324], 'numbers in the definition');
  assertEq(errors, [], 'console errors');
});
