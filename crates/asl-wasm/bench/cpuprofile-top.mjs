// The functions of a .cpuprofile (node --cpu-prof, or tests/browser/js-api-ab.mjs --profile) by
// sample count: self samples, then inclusive (a function counted once per sample however deep it
// recurses), the top N of each, with their share of all samples. Sample counts rather than the
// profile's time deltas: on this shared machine a process descheduled for milliseconds has that
// wait charged to the frame the next sample lands in (benches/README.md §6).
//   node cpuprofile-top.mjs FILE [N=40]
import { readFileSync } from 'node:fs';
const [file, top = '40'] = process.argv.slice(2);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const counts = new Map();
for (const s of p.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
const self = new Map();
let total = 0;
for (const [id, c] of counts) { const n = byId.get(id); const k = n.callFrame.functionName || `(anon ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber})`; self.set(k, (self.get(k) ?? 0) + c); total += c; }
// inclusive
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const incl = new Map();
for (const [id, c] of counts) {
  const seen = new Set();
  for (let x = id; x !== undefined; x = parent.get(x)) { const n = byId.get(x); const k = n.callFrame.functionName || '(anon)'; if (seen.has(k)) continue; seen.add(k); incl.set(k, (incl.get(k) ?? 0) + c); }
}
console.log('total samples', total);
console.log('--- self');
for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, +top)) console.log((100 * c / total).toFixed(1).padStart(5), c, k.slice(0, 120));
console.log('--- inclusive');
for (const [k, c] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, +top)) console.log((100 * c / total).toFixed(1).padStart(5), c, k.slice(0, 120));
