// Runs every browser test against a built dist/: `node run.mjs [DIST]` (default ../../dist).
// Serves DIST on 127.0.0.1, runs the cases in *.test.mjs, prints `browser: N passed, N failed`,
// exits 1 if any failed. The whole run is bounded: it aborts after 10 minutes.
// BROWSER_ONLY=security runs only the files whose name contains that text.
// `node run.mjs DIST --panic` runs the *.panic.mjs cases instead, against a test build made with
// `trunk build --release --features test-panic --dist dist-panic` (see web/src/recovery.rs).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serveDir } from './server.mjs';
import { runAll } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(process.argv[2] ?? path.join(here, '../../dist'));
const suffix = process.argv.includes('--panic') ? '.panic.mjs' : '.test.mjs';
process.env.BROWSER_DIST = dist;
const watchdog = setTimeout(() => { console.log('browser: run exceeded 10 minutes, aborting'); process.exit(2); }, 10 * 60 * 1000);
watchdog.unref();

for (const f of (await readdir(here)).filter((f) => f.endsWith(suffix) && f.includes(process.env.BROWSER_ONLY ?? '')).sort()) {
  await import(pathToFileURL(path.join(here, f)).href);
}
const server = await serveDir(dist);
let result;
try {
  result = await runAll({ baseUrl: server.url });
} finally {
  await server.close();
}
console.log(`browser: ${result.passed} passed, ${result.failed} failed`);
process.exit(result.failed === 0 && result.passed > 0 ? 0 : 1);
