// The bench kit's workload files in Node (workloads.mjs itself touches no Node API, so that a
// page can use it too): `kitData(KIT_DIR)` gives `data(name)` → {text, input, expected, meta},
// as benchWorkloads reads each workload.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export function kitData(kit) {
  const wl = path.resolve(kit, 'workloads');
  const meta = JSON.parse(readFileSync(path.join(wl, 'meta.json'), 'utf8'));
  return (name) => ({
    text: readFileSync(path.join(wl, `${name}.asl.json`), 'utf8'),
    input: JSON.parse(readFileSync(path.join(wl, `${name}.input.json`), 'utf8')),
    expected: JSON.parse(readFileSync(path.join(wl, `${name}.expected.json`), 'utf8')),
    meta: meta[name],
  });
}
