// The app shell: it loads cleanly at 1280×720 and looks right.
import path from 'node:path';
import { test, assert } from './harness.mjs';

test('page loads with no console errors and a screenshot is saved', async ({ open, errors, artifacts }) => {
  const page = await open();
  await page.waitForSelector('h1');
  const title = await page.title();
  assert(title === 'ASL Playground', `title is ${title}`);
  await page.screenshot({ path: path.join(artifacts, 'playground.png') });
  assert(errors.length === 0, `console errors: ${errors.join(' | ')}`);
});
