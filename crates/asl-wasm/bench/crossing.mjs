// The fixed costs of one onTask call, measured apart in this V8 (benches/README.md, §6):
//   node --no-liftoff crossing.mjs
// 1. a call from wasm to a JS import, from a loop in a module assembled here (no wasm-bindgen):
//    empty, and building the request object and calling a handler;
// 2. the JS pieces the JSON-text crossing paid per task (TextDecoder, JSON.parse, JSON.stringify
//    of a task-heavy request and answer) against building the same object from its bytes.
// Prints µs per call, the best of 5 rounds.
const body = [0x00, 0x02, 0x40, 0x03, 0x40, 0x20, 0x00, 0x45, 0x0d, 0x01, 0x20, 0x00, 0x41, 0x07,
  0x10, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x21, 0x00, 0x0c, 0x00, 0x0b, 0x0b, 0x0b];
const section = (id, bytes) => [id, bytes.length, ...bytes];
// (module (import "env" "f" (func (param i32 i32))) (func (export "run") (param i32)
//   (loop while n: call f(n, 7); n -= 1))
const module = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0, 0, 0,
  ...section(1, [0x02, 0x60, 0x02, 0x7f, 0x7f, 0x00, 0x60, 0x01, 0x7f, 0x00]),
  ...section(2, [0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x66, 0x00, 0x00]),
  ...section(3, [0x01, 0x01]),
  ...section(7, [0x01, 0x03, 0x72, 0x75, 0x6e, 0x00, 0x01]),
  ...section(10, [0x01, body.length, ...body])]);

const best = (n, f) => {
  let min = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    f(n);
    min = Math.min(min, performance.now() - t);
  }
  return ((min * 1000) / n).toFixed(4);
};
let sink = 0;
const handler = (t) => (t.retryCount === 7 ? undefined : 1);
const imports = {
  'empty import': () => {},
  'import building a request and calling a handler': (a, b) => {
    sink += handler({ state: 's', resource: 'r', parameters: null, iterations: [], retryCount: b }) ? 1 : 0;
  },
};
for (const [name, f] of Object.entries(imports)) {
  const { instance } = await WebAssembly.instantiate(module, { env: { f } });
  console.log(`wasm → JS, ${name}: ${best(1e6, instance.exports.run)} µs`);
}

const loop = (f) => (n) => { for (let i = 0; i < n; i++) sink += f(i) ? 1 : 0; };
const params = '{"last":{"value":17,"status":"ok","payload":{"a":1,"b":[1,2,3]}}}';
const bytes = new TextEncoder().encode(params);
const decoder = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true });
const answer = { output: { value: 18, status: 'ok', payload: { a: 1, b: [1, 2, 3] } } };
const pieces = {
  [`TextDecoder.decode, ${bytes.length} B`]: () => decoder.decode(bytes),
  [`JSON.parse, ${bytes.length} B`]: () => JSON.parse(params),
  'JSON.stringify of the answer': () => JSON.stringify(answer),
  'the request object literally (no parsing)': (i) => ({ last: { value: i, status: 'ok', payload: { a: 1, b: [1, 2, 3] } } }),
};
for (const [name, f] of Object.entries(pieces)) console.log(`${name}: ${best(3e5, loop(f))} µs`);
