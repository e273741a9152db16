# Shared by the scripts in this folder (sourced, not run): paths, pinned tool versions, helpers.
# Pinned versions live here and nowhere else, except wasm-bindgen, whose version Cargo.lock decides.

# Trunk 0.22 needs a newer rustc than the toolchain here; 0.21.14 declares rust-version 1.81.
TRUNK_VERSION=0.21.14

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# wasm-opt comes from npm's binaryen (scripts/tools), ahead of any system one.
export PATH="$ROOT/scripts/tools/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk must never reach the network: tools come from setup, and no update check.
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-auto}"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# The wasm-bindgen version Cargo.lock resolved; the CLI must be exactly this version.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# Runs "$@" as root, through sudo when needed.
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Seconds since the epoch, for phase timings.
now() { date +%s; }
