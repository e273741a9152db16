// post-build.mjs: Trunk's `post_build` hook (Trunk.toml) for the playground's release build. It
// edits Trunk's staging dir before Trunk moves it to dist/, in five steps:
//
//   1. wasm-streams' three classes go. Leptos depends on server_fn with its `browser` feature even
//      in a client-side build, which brings wasm-streams, whose `#[wasm_bindgen]` classes
//      (IntoUnderlyingByteSource, IntoUnderlyingSink, IntoUnderlyingSource) are exports that LTO
//      and wasm-opt must keep. Nothing in the page uses them. The glue's three classes and their
//      finalization registries are cut out, the 13 wasm exports they call are removed, and
//      binaryen's `remove-unused-module-elements` drops the code only they reached. This runs
//      after Trunk's `wasm-opt -Oz` (there is no hook between wasm-bindgen and wasm-opt), so the
//      module is read and written once more; the writer gets -Oz's levels so that it optimises
//      the stack IR as wasm-opt did (without that, the round trip alone adds ~3.6 KB raw).
//   2. Short import and export names. wasm-bindgen names each import after its JS function plus a
//      16-hex-digit hash (`__wbg_createElement_8c9931a732ee2fea`), and every import names its
//      module (`./asl-web_bg.js`): 10 KB of names in the wasm's import section, the same names
//      again as keys in the glue, and the hashes do not compress. The imports become `a`, `b`, …
//      from module `a`, the exports (`__wbindgen_malloc`, the closures' `…invoke__h…`) likewise,
//      in the wasm and in the glue, which reads them only as `wasm.NAME` (checked). The wasm's
//      custom sections (producers, target_features: nothing a browser reads) go too. The import
//      and export sections are read and written here, by hand (~90 lines, every step checked):
//      binaryen.js can read an import's module and name but has no setter for either, and its
//      `minify-imports-and-exports-and-modules` pass, which would do the renaming, gives its
//      old -> new map only as text printed to stdout (a hook would have to capture and parse
//      it: an output, not an API).
//   3. The glue and public/boot.js are minified by terser (module mode: top-level names mangled,
//      dead code dropped). Trunk 0.21's own JS minifier (minify-js 0.5.6) parses neither: on the
//      glue it warns "Failed to minify JS: RequiredTokenNotFound(Identifier) [token=Some(
//      KeywordDefault)]" and ships it as wasm-bindgen wrote it; on boot.js it fails with
//      "RequiredTokenNotFound(ParenthesisClose) [token=Some(Semicolon)]" (run on the file by hand),
//      which is why boot.js is `data-no-minify` in web/index.html.
//   4. The three edited files are renamed: Trunk's names carry a hash of the files as Trunk wrote
//      them, and a name must never stand for two contents (a browser's cached copy would fail the
//      new integrity check). The new hash is of the final bytes (the glue and the wasm share one,
//      as Trunk's names do).
//   5. index.html: the new names, and every `integrity` attribute recomputed from the file it
//      names (the boot script, the glue's modulepreload, the wasm's preload, the stylesheet and the
//      icon), so Subresource Integrity still holds.
//
// Measured (December 2026, `trunk build --release --locked && scripts/bundle-size dist`; benches/
// README.md, "Bundle size", has the details): the bundle 734,380 -> 721,551 B gzip (-12,829): the
// wasm 714,331 -> 709,124 (step 1 -1,294, step 2 -3,913), the glue 9,992 -> 4,515 (step 2 -2,879),
// boot.js 4,090 -> 1,945. A full second `-Oz` in step 1 instead of the one pass: -576 only (a
// second -Oz grows the wasm), ~23 s against ~2 s. The whole hook: 3.5 s of CPU, 9-17 s of wall time
// on 2 shared cores under load.
//
// It fails (exit 1) when anything it expects is missing: a class, an export, an import key in the
// glue, a file, an integrity attribute's file. A dependency update that renames or drops them must
// be looked at, not skipped.
// Debug builds (`trunk serve` with arguments, see scripts/serve) are left as Trunk made them.
//
// Environment (set by Trunk): TRUNK_STAGING_DIR, TRUNK_PROFILE, TRUNK_PUBLIC_URL.
// By hand: `TRUNK_STAGING_DIR=DIR TRUNK_PROFILE=release node scripts/tools/post-build.mjs` on a
// dist/ Trunk made without the hook.

import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import binaryen from 'binaryen';
import { minify } from 'terser';

// The classes wasm-streams exports; each must be found (in the glue, with its wasm exports).
const STREAM_CLASSES = ['IntoUnderlyingByteSource', 'IntoUnderlyingSink', 'IntoUnderlyingSource'];
// The exports of those classes are named after them in lower case (`intounderlyingsink_write`,
// `__wbg_intounderlyingsink_free`): every export so named must be one the removed glue called.
const STREAM_EXPORT = /intounderlying/i;

class PassError extends Error {}
const check = (ok, message) => {
  if (!ok) throw new PassError(message);
};

const t0 = performance.now();
const log = (msg) => console.log(`post-build: ${msg} (${Math.round(performance.now() - t0)} ms)`);

/** The glue without one wasm-bindgen class; `exports` collects the wasm exports it called. */
function dropClass(glue, name, exports) {
  const start = glue.indexOf(`export class ${name} {\n`);
  check(start >= 0, `the glue has no class ${name}`);
  // wasm-bindgen follows each class with its Symbol.dispose line: the class ends there.
  const tail = `\nif (Symbol.dispose) ${name}.prototype[Symbol.dispose] = ${name}.prototype.free;\n`;
  const end = glue.indexOf(tail, start);
  check(end >= 0, `the glue's class ${name} has no Symbol.dispose line after it`);
  const cls = glue.slice(start, end + tail.length);
  check(!cls.includes('\nexport '), `the glue's class ${name} runs into another export`);
  // Its finalization registry: `const NameFinalization = (typeof …) ? {…} : new …(…);`.
  const registry = new RegExp(`^const ${name}Finalization = [^;]*;\\n`, 'm').exec(glue);
  check(registry !== null, `the glue has no ${name}Finalization`);
  for (const text of [cls, registry[0]]) {
    for (const m of text.matchAll(/\bwasm\.(\w+)/g)) exports.add(m[1]);
  }
  const out = glue.slice(0, start) + glue.slice(end + tail.length);
  return out.replace(registry[0], '');
}

/** The wasm without `names` exported and without the code only they reached. */
function dropExports(bytes, names) {
  // -Oz's levels, read by the binary writer: it optimises the stack IR as wasm-opt -Oz did.
  binaryen.setOptimizeLevel(2);
  binaryen.setShrinkLevel(2);
  binaryen.setGenerateStackIR(true);
  binaryen.setOptimizeStackIR(true);
  // The default features are wasm-opt's, which web/index.html's --enable flags do not go beyond;
  // a module using more fails validation below.
  const module = binaryen.readBinary(bytes);
  try {
    const present = [];
    for (let i = 0; i < module.getNumExports(); i++) {
      present.push(binaryen.getExportInfo(module.getExportByIndex(i)).name);
    }
    for (const name of names) check(present.includes(name), `the wasm does not export ${name}`);
    const stray = present.filter((n) => STREAM_EXPORT.test(n) && !names.has(n));
    check(stray.length === 0, `wasm exports no removed glue calls: ${stray.join(', ')}`);
    for (const name of names) module.removeExport(name);
    module.runPasses(['remove-unused-module-elements']);
    check(module.validate(), 'the wasm does not validate after removing the exports');
    return Buffer.from(module.emitBinary());
  } finally {
    module.dispose();
  }
}

// ---- Short import and export names (step 2). ----

const SHORT = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const shortName = (i) => {
  let s = '';
  do {
    s += SHORT[i % SHORT.length];
    i = Math.floor(i / SHORT.length);
  } while (i > 0);
  return s;
};

/**
 * The wasm with short import and export names and no custom sections, read and written section by
 * section (the other sections are copied byte for byte). Returns the wasm and the renamings:
 * `imports` (field name -> short name; every import's module becomes `module`) and `exports`.
 */
function shortenNames(b, module) {
  check(b.readUInt32LE(0) === 0x6d736100 && b.readUInt32LE(4) === 1, 'the wasm has no wasm 1 header');
  let p = 8;
  const leb = () => {
    let n = 0;
    let shift = 0;
    let byte;
    do {
      check(p < b.length, 'the wasm ends inside a number');
      byte = b[p++];
      n += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return n;
  };
  const name = () => {
    const n = leb();
    const s = b.toString('utf8', p, p + n);
    p += n;
    return s;
  };
  const u32 = (n) => {
    const out = [];
    do {
      out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
      n = Math.floor(n / 128);
    } while (n > 0);
    return Buffer.from(out);
  };
  const encName = (s) => Buffer.concat([u32(Buffer.byteLength(s)), Buffer.from(s)]);
  const limits = () => {
    const flags = leb();
    leb();
    if (flags & 1) leb();
  };
  const REFS = [0x70, 0x6f]; // funcref, externref
  const VALS = [0x7f, 0x7e, 0x7d, 0x7c, 0x7b, ...REFS];
  const imports = new Map();
  const exports = new Map();
  const modules = new Set();
  let next = 0;
  const out = [b.subarray(0, 8)];
  while (p < b.length) {
    const id = b[p++];
    const size = leb();
    const start = p;
    const end = start + size;
    if (id === 0) {
      // Custom sections (producers, target_features, …): nothing a browser reads.
    } else if (id === 2 || id === 7) {
      const count = leb();
      const parts = [u32(count)];
      for (let i = 0; i < count; i++) {
        if (id === 2) {
          modules.add(name());
          const field = name();
          const desc = p;
          const kind = b[p++];
          if (kind === 0) leb();
          else if (kind === 1) {
            check(REFS.includes(b[p++]), 'an imported table of an unknown type');
            limits();
          } else if (kind === 2) limits();
          else if (kind === 3) {
            check(VALS.includes(b[p++]), 'an imported global of an unknown type');
            p++;
          } else throw new PassError(`an import of unknown kind ${kind}`);
          if (!imports.has(field)) imports.set(field, shortName(next++));
          parts.push(encName(module), encName(imports.get(field)), b.subarray(desc, p));
        } else {
          const field = name();
          const desc = p;
          p++;
          leb();
          exports.set(field, shortName(next++));
          parts.push(encName(exports.get(field)), b.subarray(desc, p));
        }
      }
      check(p === end, `section ${id} does not end where its size says`);
      const body = Buffer.concat(parts);
      out.push(Buffer.from([id]), u32(body.length), body);
    } else {
      out.push(Buffer.from([id]), u32(size), b.subarray(start, end));
    }
    p = end;
  }
  return { wasm: Buffer.concat(out), imports, exports, modules };
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The glue calling the wasm by its short names: import keys, the module's key and `wasm.NAME`. */
function shortenGlue(glue, names, oldModule, module) {
  const count = (re) => (glue.match(re) ?? []).length;
  // wasm-bindgen writes each import as a key of one object, `        NAME: function(…) {`.
  for (const [field, short] of names.imports) {
    const key = new RegExp(`(\\n\\s+)${escapeRe(field)}:`, 'g');
    check(count(key) === 1, `the glue has ${count(key)} import keys ${field}, expected 1`);
    glue = glue.replace(key, `$1${short}:`);
  }
  const moduleKey = `${JSON.stringify(oldModule)}: import0`;
  check(glue.split(moduleKey).length === 2, `the glue has no one ${moduleKey}`);
  glue = glue.replace(moduleKey, `${JSON.stringify(module)}: import0`);
  // The glue reads exports as `wasm.NAME` only (other uses of a name are its own JS functions,
  // which terser renames anyway); none may be left, nor any other property access to one. Some
  // exports it never reads (`main`, which `__wbindgen_start` calls inside the wasm).
  for (const [field, short] of names.exports) {
    const use = new RegExp(`\\bwasm\\.${escapeRe(field)}\\b`, 'g');
    glue = glue.replace(use, `wasm.${short}`);
    const left = new RegExp(`[.'"\`\\[]${escapeRe(field)}\\b`);
    check(!left.test(glue), `the glue reads the export ${field} other than as wasm.${field}`);
  }
  return glue;
}

async function minifyModule(code, what) {
  // Module mode: top-level names are private to the module, so they are mangled and, when
  // unused, dropped; the module's exports keep their names.
  const out = await minify(code, { module: true });
  check(typeof out.code === 'string' && out.code.length > 0, `terser gave nothing for ${what}`);
  return out.code;
}

const hash16 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 16);
};

/** Every `integrity` attribute of index.html recomputed from the staging file its tag names. */
function fixIntegrity(html, staging, publicUrl) {
  let count = 0;
  const out = html.replace(/<(?:script|link)\b[^>]*>/g, (tag) => {
    const integrity = /\bintegrity=("[^"]*"|'[^']*'|[^\s>]+)/.exec(tag);
    if (!integrity) return tag;
    const url = /\b(?:src|href)=("[^"]*"|'[^']*'|[^\s>]+)/.exec(tag);
    check(url !== null, `a tag with integrity names no file: ${tag}`);
    const path = url[1].replace(/^["']|["']$/g, '');
    check(path.startsWith(publicUrl), `${path} is not under the public URL ${publicUrl}`);
    const file = path.slice(publicUrl.length);
    check(/^[\w.-]+$/.test(file), `${path} is not a file of the build`);
    const value = integrity[1].replace(/^["']|["']$/g, '');
    const alg = /^(sha256|sha384|sha512)-/.exec(value);
    check(alg !== null, `unknown integrity ${value}`);
    let bytes;
    try {
      bytes = readFileSync(join(staging, file));
    } catch {
      throw new PassError(`${file} (integrity) is not in the build`);
    }
    count++;
    const fresh = `${alg[1]}-${createHash(alg[1]).update(bytes).digest('base64')}`;
    return tag.replace(integrity[0], `integrity="${fresh}"`);
  });
  return { html: out, count };
}

async function main() {
  const staging = process.env.TRUNK_STAGING_DIR;
  check(staging, 'TRUNK_STAGING_DIR is not set (run by Trunk, see Trunk.toml)');
  if (process.env.TRUNK_PROFILE !== 'release') {
    console.log(`post-build: ${process.env.TRUNK_PROFILE ?? 'no'} profile, nothing to do`);
    return;
  }
  const publicUrl = process.env.TRUNK_PUBLIC_URL || '/';
  const files = readdirSync(staging);
  // Trunk's names end in a u64 hash printed in hex without leading zeros (15 or 16 digits).
  const wasms = files.filter((f) => /^[\w.-]+-[0-9a-f]+_bg\.wasm$/.test(f));
  check(wasms.length === 1, `expected one *-HASH_bg.wasm in ${staging}, found: ${wasms.join(', ') || 'none'}`);
  const [, stem, oldHash] = /^(.+)-([0-9a-f]+)_bg\.wasm$/.exec(wasms[0]);
  const glueName = `${stem}-${oldHash}.js`;
  check(files.includes(glueName), `no glue ${glueName} next to ${wasms[0]}`);
  const boots = files.filter((f) => /^boot-[0-9a-f]+\.js$/.test(f));
  check(boots.length === 1, `expected one boot-HASH.js in ${staging}, found: ${boots.join(', ') || 'none'}`);
  const bootName = boots[0];

  // 1. wasm-streams' classes: out of the glue, then out of the wasm.
  let glue = readFileSync(join(staging, glueName), 'utf8');
  const exports = new Set();
  for (const name of STREAM_CLASSES) glue = dropClass(glue, name, exports);
  check(!/IntoUnderlying/i.test(glue), 'the glue still names IntoUnderlying… after removing the classes');
  const wasmIn = readFileSync(join(staging, wasms[0]));
  const wasm1 = dropExports(wasmIn, exports);
  log(`${exports.size} exports of ${STREAM_CLASSES.length} classes removed, wasm ${wasmIn.length} -> ${wasm1.length} B`);

  // 2. Short import and export names, in the wasm and the glue; no custom sections.
  const names = shortenNames(wasm1, 'a');
  const wasm = names.wasm;
  check(names.modules.size === 1, `imports from ${[...names.modules].join(', ')}: expected one module`);
  glue = shortenGlue(glue, names, [...names.modules][0], 'a');
  log(`${names.imports.size} imports and ${names.exports.size} exports renamed, wasm ${wasm1.length} -> ${wasm.length} B`);

  // 3. Minified glue and boot.js.
  const glueIn = readFileSync(join(staging, glueName)).length;
  glue = await minifyModule(glue, glueName);
  const bootIn = readFileSync(join(staging, bootName), 'utf8');
  const boot = await minifyModule(bootIn, bootName);
  log(`minified: glue ${glueIn} -> ${glue.length} B, boot.js ${bootIn.length} -> ${boot.length} B`);

  // 4. New file names, from the final bytes.
  const appHash = hash16(glue, wasm);
  const newGlue = `${stem}-${appHash}.js`;
  const newWasm = `${stem}-${appHash}_bg.wasm`;
  const newBoot = `boot-${hash16(boot)}.js`;
  writeFileSync(join(staging, glueName), glue);
  writeFileSync(join(staging, wasms[0]), wasm);
  writeFileSync(join(staging, bootName), boot);
  renameSync(join(staging, glueName), join(staging, newGlue));
  renameSync(join(staging, wasms[0]), join(staging, newWasm));
  renameSync(join(staging, bootName), join(staging, newBoot));

  // 5. index.html: names and integrity. Only index.html may name the renamed files.
  const oldApp = `${stem}-${oldHash}`;
  const oldBoot = bootName;
  for (const f of files) {
    if (f === 'index.html' || !/\.(html|js|css)$/.test(f) || [glueName, bootName].includes(f)) continue;
    const text = readFileSync(join(staging, f), 'utf8');
    check(!text.includes(oldApp) && !text.includes(oldBoot), `${f} names a renamed file`);
  }
  let html = readFileSync(join(staging, 'index.html'), 'utf8');
  const uses = (s) => html.split(s).length - 1;
  // The <meta name="asl-wasm"> (glue and wasm), the modulepreload and the preload; the script.
  check(uses(oldApp) === 4, `index.html names ${oldApp} ${uses(oldApp)} times, expected 4`);
  check(uses(oldBoot) === 1, `index.html names ${oldBoot} ${uses(oldBoot)} times, expected 1`);
  html = html.replaceAll(oldApp, `${stem}-${appHash}`).replaceAll(oldBoot, newBoot);
  const fixed = fixIntegrity(html, staging, publicUrl);
  check(fixed.count >= 3, `index.html has ${fixed.count} integrity attributes, expected the script, glue and wasm at least`);
  writeFileSync(join(staging, 'index.html'), fixed.html);
  log(`renamed to ${newGlue}, ${newWasm}, ${newBoot}; ${fixed.count} integrity hashes recomputed`);
}

main().catch((e) => {
  console.error(`post-build: ${e instanceof PassError ? e.message : e.stack}`);
  process.exit(1);
});
