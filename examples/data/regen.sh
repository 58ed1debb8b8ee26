#!/bin/sh
# Regenerates the sample rosters in this directory with the generator and fails if a single byte
# differs from the committed files. Run from anywhere inside the repository.
set -eu
cd "$(dirname "$0")/../.."
cargo run --release --example gen-rosters -- \
    --entities 2000 --inspectors 40 --seed 20260301 --history 240 --conflicts 12 \
    --out examples/data
git diff --exit-code -- examples/data
echo "examples/data: the generator reproduces the committed files"
