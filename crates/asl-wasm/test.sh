#!/usr/bin/env bash
# Builds asl-wasm for wasm32 and runs its JS tests under Node (node:test):
#   tests/js/api.test.mjs    validate / render / Execution   (wasm-bindgen --target nodejs)
#   tests/js/embed.test.mjs  js/embed.js                     (wasm-bindgen --target web; the
#                            diagram build without the `run` feature as asl_diagram.js beside it)
#   tests/js/jsonata-suite.test.mjs  evaluateJsonata over JSONata's official suite (nodejs)
#   tests/js/recorded.test.mjs  importHistory / mocksFromHistory / compareHistory / exporters (nodejs)
# The pure-Rust glue is tested natively by `cargo test -p asl-wasm`.
#
#   crates/asl-wasm/test.sh          (ASL_WASM_PROFILE=dev for a faster, unoptimised build)
#   crates/asl-wasm/test.sh --build-only   (the packages alone, for scripts/bench)
#
# Needs the wasm32-unknown-unknown target, node ≥ 20 and the wasm-bindgen CLI at Cargo.lock's
# version (scripts/setup installs them). Outputs go to $CARGO_TARGET_DIR (default: target/).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
PROFILE="${ASL_WASM_PROFILE:-wasm-api}"
t0=$(date +%s)

# The generated glue only works with the CLI of the exact wasm-bindgen version in Cargo.lock.
want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
have=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }') || true
if [ "$have" != "$want" ]; then
    echo "asl-wasm/test.sh: need wasm-bindgen CLI $want (Cargo.lock), found '${have:-none}': run scripts/setup" >&2
    exit 1
fi

echo "==> cargo build -p asl-wasm --target wasm32-unknown-unknown --profile $PROFILE"
(cd "$ROOT" && cargo build --locked -p asl-wasm --target wasm32-unknown-unknown --profile "$PROFILE")
dir=$PROFILE; [ "$PROFILE" = dev ] && dir=debug
wasm="$TARGET/wasm32-unknown-unknown/$dir/asl_wasm.wasm"

echo "==> wasm-bindgen (nodejs, web)"
rm -rf "$TARGET/asl-wasm-node" "$TARGET/asl-wasm-web"
wasm-bindgen --target nodejs --out-dir "$TARGET/asl-wasm-node" "$wasm"
wasm-bindgen --target web --out-dir "$TARGET/asl-wasm-web" "$wasm"
# The diagram build (no `run` feature: validate and render only) beside it, as asl_diagram.*:
# embed.js loads it for graphs and the full module only for a block that asks for a stepper.
echo "==> cargo build -p asl-wasm --no-default-features (the diagram build for embed.js)"
(cd "$ROOT" && cargo build --locked -p asl-wasm --no-default-features --target wasm32-unknown-unknown --profile "$PROFILE")
wasm-bindgen --target web --out-name asl_diagram --out-dir "$TARGET/asl-wasm-web" "$wasm"
cp "$HERE/js/embed.js" "$TARGET/asl-wasm-web/"
[ "${1:-}" = "--build-only" ] && exit 0

echo "==> node --test crates/asl-wasm/tests/js"
ASL_WASM_NODE="$TARGET/asl-wasm-node" ASL_WASM_WEB="$TARGET/asl-wasm-web" \
    node --test --test-reporter=spec "$HERE"/tests/js/*.test.mjs

sizes=""
for bg in "$TARGET"/asl-wasm-web/asl_{wasm,diagram}_bg.wasm; do
    sizes+="; $(basename "$bg") $(stat -c %s "$bg") bytes, $(gzip -9c "$bg" | wc -c) gzipped"
done
echo "asl-wasm: ok in $(( $(date +%s) - t0 ))s$sizes (no wasm-opt)"
