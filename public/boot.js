// boot.js: starts the playground's wasm, and brings it back when it traps.
//
// Why a file of our own: the page's Content-Security-Policy forbids inline script, so Trunk does
// not inject its usual inline loader (Trunk.toml's `pattern_script` writes a <meta name="asl-wasm">
// naming the wasm-bindgen glue and the .wasm instead) and this module loads them.
//
// Why recovery: the wasm is built with `panic = "abort"`, so a Rust panic (or a stack overflow, or
// running out of memory) traps, and that module instance is unusable from then on. The page keeps
// working without a reload:
//   1. the app's panic hook (web/src/recovery.rs) sends the message as an `asl-panic` event;
//   2. the trap reaches us as an uncaught WebAssembly.RuntimeError (or a RangeError from wasm);
//   3. we rescue the three texts still in the editors' textareas into storage (the app saves
//      once typing pauses; this closes the gap of the edits since);
//   4. we drop the dead instance: its window/document listeners, timers and animation frames, and
//      the DOM it built;
//   5. we instantiate the compiled module afresh from a new copy of the glue (an ES module is
//      evaluated once per URL, so `?instance=N` gives a fresh glue with its own instance) and the
//      app mounts again, reading the saved texts;
//   6. a banner says what happened. Errors thrown later by leftovers of a dead instance (a promise
//      settling into it) are recognised by the glue URL in their stack and ignored.
// If the module traps again right after restarting, before the user did anything (the saved text
// itself makes it crash), we stop after a few attempts and say so instead of looping.

const STORAGE_PREFIX = 'asl-playground.';
// The textareas whose text must survive a crash, by test id → storage key (see web/src/storage.rs).
const RESCUE = { 'definition-editor': 'definition', 'input-editor': 'input', 'mocks-editor': 'mocks' };
// At most this many restarts in a row with no user input between them; beyond, we stop.
const MAX_RESTARTS = 3;

const meta = document.querySelector('meta[name="asl-wasm"]');
const GLUE = new URL(meta.dataset.js, location.href).href;
const WASM = new URL(meta.dataset.wasm, location.href).href;

// Values storage.rs could not write to localStorage (disabled or full) live here, outside the wasm
// instance, so they survive a restart. storage.rs reads and writes it through `window`.
globalThis.__aslMemoryStore ??= Object.create(null);

// ---- What each instance registers on window/document, so a dead one can be removed. ----
// Only what the instance's glue registers is recorded (the caller's stack names the glue file):
// other scripts' timers and listeners (a test driver's, an extension's) are left alone.

let current = null; // { id, listeners: [], timeouts: Set, intervals: Set, frames: Set }
let nextId = 1;
const GLUE_PATH = new URL(GLUE).pathname;
// The glue is within the top frames (this, a wrapper, the glue's import): only those are taken.
// Whole traces, through the wasm frames below, took 0.5 ms per keystroke in a typing profile.
const fromGlue = () => {
  if (current === null) return false;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 6;
  try {
    return String(new Error().stack).includes(GLUE_PATH);
  } finally {
    Error.stackTraceLimit = limit;
  }
};

const isGlobalTarget = (t) =>
  !(t instanceof Node) || t === document || t === document.documentElement || t === document.body;

const origAdd = EventTarget.prototype.addEventListener;
EventTarget.prototype.addEventListener = function (type, listener, options) {
  if (listener && isGlobalTarget(this) && fromGlue()) current.listeners.push([this, type, listener, options]);
  return origAdd.call(this, type, listener, options);
};

// Ids are forgotten once their callback ran or was cancelled.
const wrapTimer = (name, setKey, once) => {
  const orig = globalThis[name].bind(globalThis);
  globalThis[name] = (callback, ...rest) => {
    if (typeof callback !== 'function' || !fromGlue()) return orig(callback, ...rest);
    const inst = current;
    const id = orig(once ? (...a) => { inst[setKey].delete(id); callback(...a); } : callback, ...rest);
    inst[setKey].add(id);
    return id;
  };
};
wrapTimer('setTimeout', 'timeouts', true);
wrapTimer('setInterval', 'intervals', false);
wrapTimer('requestAnimationFrame', 'frames', true);
for (const [name, setKey] of [['clearTimeout', 'timeouts'], ['clearInterval', 'intervals'], ['cancelAnimationFrame', 'frames']]) {
  const orig = globalThis[name].bind(globalThis);
  globalThis[name] = (id) => { current?.[setKey].delete(id); return orig(id); };
}

function retire(inst) {
  for (const [target, type, listener, options] of inst.listeners) target.removeEventListener(type, listener, options);
  for (const id of inst.timeouts) clearTimeout(id);
  for (const id of inst.intervals) clearInterval(id);
  for (const id of inst.frames) cancelAnimationFrame(id);
}

// ---- Starting an instance. ----

let compiled; // the WebAssembly.Module, compiled once; each instance instantiates it afresh
let lastPanic = null;
let restartsInARow = 0;
let interacted = false;
for (const type of ['keydown', 'pointerdown', 'input']) addEventListener(type, () => { interacted = true; }, true);

addEventListener('asl-panic', (e) => { lastPanic = String(e.detail ?? ''); });

async function start() {
  const inst = { id: nextId++, listeners: [], timeouts: new Set(), intervals: new Set(), frames: new Set() };
  current = inst;
  document.documentElement.dataset.aslInstance = String(inst.id);
  compiled ??= await WebAssembly.compileStreaming(fetch(WASM));
  const glue = await import(inst.id === 1 ? GLUE : `${GLUE}?instance=${inst.id}`);
  // The glue runs the app's `main` (which mounts it) as part of initialising.
  await glue.default({ module_or_path: compiled });
}

// ---- Recognising a trap, and recovering. ----

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const GLUE_IN_STACK = new RegExp(`${escapeRe(GLUE_PATH)}(?:\\?instance=(\\d+))?:`);

/** Whether `err` is a wasm trap, and of which instance (null: not ours to handle). */
function trapOf(err) {
  const stack = String(err?.stack ?? '');
  const trap = err instanceof WebAssembly.RuntimeError
    || (err instanceof RangeError && /wasm-function|wasm:\/\//.test(stack));
  if (!trap) return null;
  const m = GLUE_IN_STACK.exec(stack);
  return { instance: m ? Number(m[1] ?? 1) : current?.id, message: lastPanic ?? `${err.name}: ${err.message}` };
}

function rescueTexts() {
  for (const [testid, key] of Object.entries(RESCUE)) {
    const el = document.querySelector(`textarea[data-testid="${testid}"]`);
    if (!el) continue;
    // storage.rs's compare-and-set, with the last value it read or wrote (window.__aslKnown):
    // a text another tab saved since is never overwritten. This tab's text stays in memory; the
    // restarted app reads it and offers both, as after any conflict.
    const name = STORAGE_PREFIX + key;
    const known = globalThis.__aslKnown?.[name];
    let stored = null;
    try { stored = localStorage.getItem(name); } catch { /* disabled: memory only */ }
    if (known !== undefined && stored !== null && stored !== known && stored !== el.value) {
      globalThis.__aslMemoryStore[name] = el.value;
      continue;
    }
    try {
      localStorage.setItem(name, el.value);
      delete globalThis.__aslMemoryStore[name];
    } catch {
      globalThis.__aslMemoryStore[name] = el.value;
    }
  }
}

let recovering = false;

async function recover(trap) {
  if (recovering) return;
  recovering = true;
  const dead = current;
  current = null;
  lastPanic = null;
  rescueTexts();
  retire(dead);
  restartsInARow = interacted ? 1 : restartsInARow + 1;
  interacted = false;
  const gaveUp = restartsInARow > MAX_RESTARTS;
  const banner = showBanner(trap.message, gaveUp);
  for (const el of [...document.body.children]) if (el !== banner) el.remove();
  recovering = false;
  if (gaveUp) return;
  try {
    await start();
  } catch (e) {
    const again = trapOf(e);
    if (again) await recover(again);
    else showBanner(`The playground could not restart: ${e}`, true);
  }
}

function onUncaught(err, event) {
  const trap = trapOf(err);
  if (!trap) return;
  event.preventDefault();
  // A leftover of an instance already replaced: nothing to do.
  if (trap.instance !== current?.id) return;
  recover(trap);
}

addEventListener('error', (e) => onUncaught(e.error, e));
addEventListener('unhandledrejection', (e) => onUncaught(e.reason, e));

// ---- The banner (plain DOM, outside the app: it must work while the app is gone). ----

function showBanner(message, gaveUp) {
  let banner = document.getElementById('asl-recovery');
  if (!banner) {
    banner = document.createElement('div');
    banner.id = 'asl-recovery';
    banner.className = 'recovery-banner';
    banner.setAttribute('role', 'alert');
    banner.dataset.testid = 'recovery-banner';
    document.body.prepend(banner);
  }
  banner.replaceChildren();
  const title = document.createElement('strong');
  title.textContent = gaveUp
    ? 'The playground crashed again while reopening your work, so it stopped trying.'
    : 'The playground hit an internal error and restarted.';
  const safe = document.createElement('span');
  safe.textContent = gaveUp
    ? ' Your definition, input and mocks are still saved in this browser: reload the page to try again.'
    : ' Your text is safe: your definition, input and mocks were saved and are back in the editors.';
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = 'What happened';
  const pre = document.createElement('pre');
  pre.dataset.testid = 'recovery-message';
  pre.textContent = message;
  details.append(summary, pre);
  const close = document.createElement('button');
  close.className = 'btn btn-icon';
  close.setAttribute('aria-label', 'Dismiss');
  close.textContent = '✕';
  close.addEventListener('click', () => banner.remove());
  banner.append(title, safe, details, close);
  return banner;
}

start().catch((e) => {
  const trap = trapOf(e);
  if (trap) recover(trap);
  else showBanner(`The playground could not start: ${e}`, true);
});
