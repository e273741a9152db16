#!/usr/bin/env bash
# Builds asl-wasm for wasm32 and runs its JS tests under Node (node:test):
#   tests/js/api.test.mjs    validate / render / Execution   (wasm-bindgen --target nodejs)
#   tests/js/embed.test.mjs  js/embed.js                     (wasm-bindgen --target web)
#   tests/js/jsonata-suite.test.mjs  evaluateJsonata over JSONata's official suite (nodejs)
#   tests/js/recorded.test.mjs  importHistory / mocksFromHistory / compareHistory / exporters (nodejs)
# The pure-Rust glue is tested natively by `cargo test -p asl-wasm`.
#
#   crates/asl-wasm/test.sh          (ASL_WASM_PROFILE=dev for a faster, unoptimised build)
#
# Needs the wasm32-unknown-unknown target, node ≥ 20 and the wasm-bindgen CLI at Cargo.lock's
# version (scripts/setup installs them). Outputs go to $CARGO_TARGET_DIR (default: target/).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
PROFILE="${ASL_WASM_PROFILE:-wasm-release}"
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
cp "$HERE/js/embed.js" "$TARGET/asl-wasm-web/"

echo "==> node --test crates/asl-wasm/tests/js"
ASL_WASM_NODE="$TARGET/asl-wasm-node" ASL_WASM_WEB="$TARGET/asl-wasm-web" \
    node --test --test-reporter=spec "$HERE"/tests/js/*.test.mjs

bg="$TARGET/asl-wasm-web/asl_wasm_bg.wasm"
echo "asl-wasm: ok in $(( $(date +%s) - t0 ))s; $(basename "$bg") $(stat -c %s "$bg") bytes, $(gzip -9c "$bg" | wc -c) gzipped (no wasm-opt)"
