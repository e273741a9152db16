// The browser-test harness: one headless Debian Chromium (never a downloaded browser), a fresh
// context per test, console errors collected, tests run one at a time, and a closing line
// `browser: N passed, N failed` that CI reads. Test files register cases with `test()`.
import { chromium } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const CASES = [];
export function test(name, fn) { CASES.push({ name, fn }); }

// Screenshots go under the (git-ignored) target dir unless BROWSER_ARTIFACTS says otherwise.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.resolve(process.env.BROWSER_ARTIFACTS
  ?? path.join(process.env.CARGO_TARGET_DIR ?? path.join(ROOT, 'target'), 'browser'));

// Flags from the developers' guide: no sandbox (root), no GPU, and no background traffic to a
// network this machine does not have. Playwright adds --headless, and launches with a new empty
// --user-data-dir of its own, removed on close.
const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// Debian's Chromium has crashed with SIGSEGV while starting, before any page existed, once in a
// few dozen CI runs on this 2-core machine. A crash at launch says nothing about the app, so the
// launch (never a test) is tried a second time, and the first failure is printed. The benchmark
// and screenshot scripts launch the same way (`extra`: flags of their own, such as V8's).
export async function launch(extra = []) {
  const options = {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [...FLAGS, ...extra],
  };
  try {
    return await chromium.launch(options);
  } catch (e) {
    console.log(`chromium failed to launch, trying once more: ${String(e?.message ?? e).split('\n')[0]}`);
    return chromium.launch(options);
  }
}

export async function runAll({ baseUrl, timeoutMs = 30000 }) {
  await mkdir(ARTIFACTS, { recursive: true });
  const browser = await launch();
  let passed = 0, failed = 0;
  try {
    for (const c of CASES) {
      // Each case gets its own origin-isolated storage: a new incognito-like context.
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      const errors = [];
      const open = async (url = baseUrl) => {
        const page = await context.newPage();
        page.setDefaultTimeout(timeoutMs);
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        page.on('pageerror', (e) => errors.push(String(e)));
        await page.goto(url);
        return page;
      };
      const t0 = Date.now();
      try {
        await c.fn({ open, context, browser, baseUrl, errors, artifacts: ARTIFACTS });
        passed++;
        console.log(`ok     ${c.name} (${Date.now() - t0} ms)`);
      } catch (e) {
        failed++;
        console.log(`FAILED ${c.name} (${Date.now() - t0} ms)\n       ${String(e?.stack ?? e).split('\n').join('\n       ')}`);
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
  }
  return { passed, failed };
}

export function assert(cond, msg) { if (!cond) throw new Error(msg); }
export function assertEq(a, b, msg) {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
}
