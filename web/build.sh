#!/usr/bin/env bash
# Builds web/dist/verify.html: the verifier compiled to WebAssembly, its JavaScript glue and the
# page, in one file that loads nothing from the network.
#   web/build.sh            build web/dist/verify.html
#   web/build.sh --check    build into a temporary file and fail if web/dist/verify.html differs
# Needs the wasm32-unknown-unknown target and wasm-bindgen-cli at the version in Cargo.lock
# (.ci/web installs both).
set -euo pipefail
cd "$(dirname "$0")"
web=$(pwd)
repo=$(cd .. && pwd)
want=$(grep -A1 '^name = "wasm-bindgen"$' verify/Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')
[ "$have" = "$want" ] || { echo "wasm-bindgen-cli $want is needed (found: ${have:-none})"; exit 1; }
# Paths differ between checkouts, and cargo's hashes of path dependencies (which order the
# functions in the binary) include their path: the sources are built from one fixed folder, and
# the paths left in the binary are remapped, so every checkout builds the same page. The folder
# is fixed, whatever TMPDIR says: another folder gives other hashes, and another page.
stage=/tmp/double-random-web-build
rm -rf "$stage" && mkdir -p "$stage"
(cd "$repo" && git ls-files -z -c -o --exclude-standard -- Cargo.toml Cargo.lock README.md src benches \
  examples bindings/c/Cargo.toml bindings/python/Cargo.toml web/verify) |
  (cd "$repo" && xargs -0 cp --parents -t "$stage")
export RUSTFLAGS="--remap-path-prefix=$stage=/double-random --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}=/cargo"
export CARGO_INCREMENTAL=0
export CARGO_TARGET_DIR="$web/verify/target"
cargo build --quiet --locked --release --target wasm32-unknown-unknown \
  --manifest-path "$stage/web/verify/Cargo.toml"
out=$(mktemp -d)
trap 'rm -rf "$out" "$stage"' EXIT
wasm-bindgen --target no-modules --no-typescript --out-dir "$out" \
  verify/target/wasm32-unknown-unknown/release/double_random_web_verify.wasm
target=dist/verify.html
if [ "${1:-}" = "--check" ]; then
  target="$out/verify.html"
fi
python3 - "$out/double_random_web_verify.js" "$out/double_random_web_verify_bg.wasm" page.html "$target" <<'PY'
import base64, sys
glue, wasm, page, target = sys.argv[1:5]
js = open(glue, encoding="utf-8").read()
import gzip
# Compressed (the browser inflates it with DecompressionStream); mtime 0 keeps builds identical.
b64 = base64.b64encode(gzip.compress(open(wasm, "rb").read(), compresslevel=9, mtime=0)).decode("ascii")
html = open(page, encoding="utf-8").read()
assert "/*GLUE*/" in html and "__WASM_BASE64__" in html
html = html.replace("/*GLUE*/", js.replace("</script", "<\\/script")).replace("__WASM_BASE64__", b64)
open(target, "w", encoding="utf-8", newline="\n").write(html)
PY
if [ "${1:-}" = "--check" ]; then
  cmp -s "$target" dist/verify.html || { echo "web/dist/verify.html is not what web/build.sh builds: run web/build.sh and commit"; exit 1; }
  echo "web/dist/verify.html is up to date ($(stat -c %s dist/verify.html) bytes)"
else
  echo "built web/dist/verify.html ($(stat -c %s dist/verify.html) bytes)"
fi
