// The browser-test harness: one headless Debian Chromium (never a downloaded browser), a fresh
// context per test, console errors collected, tests run one at a time, and a closing line
// `browser: N passed, N failed` that CI reads. Test files register cases with `test()`.
import { chromium } from 'playwright-core';
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const CASES = [];
export function test(name, fn) { CASES.push({ name, fn }); }

export const ARTIFACTS = path.resolve(process.env.BROWSER_ARTIFACTS ?? 'artifacts');

// Flags from the developers' guide: no sandbox (root), no GPU, and no background traffic to a
// network this machine does not have.
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function runAll({ baseUrl, timeoutMs = 30000 }) {
  await mkdir(ARTIFACTS, { recursive: true });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'asl-chromium-'));
  const context0 = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: FLAGS,
    ignoreDefaultArgs: ['--headless'],
    viewport: { width: 1280, height: 720 },
  });
  const browser = context0.browser();
  let passed = 0, failed = 0;
  try {
    for (const c of CASES) {
      // Each case gets its own origin-isolated storage: a new incognito-like context.
      const context = browser ? await browser.newContext({ viewport: { width: 1280, height: 720 } })
        : context0;
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
        await c.fn({ open, context, baseUrl, errors, artifacts: ARTIFACTS });
        passed++;
        console.log(`ok     ${c.name} (${Date.now() - t0} ms)`);
      } catch (e) {
        failed++;
        console.log(`FAILED ${c.name} (${Date.now() - t0} ms)\n       ${String(e?.stack ?? e).split('\n').join('\n       ')}`);
      } finally {
        if (context !== context0) await context.close();
      }
    }
  } finally {
    await context0.close();
    await rm(profile, { recursive: true, force: true });
  }
  return { passed, failed };
}

export function assert(cond, msg) { if (!cond) throw new Error(msg); }
export function assertEq(a, b, msg) {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
}
