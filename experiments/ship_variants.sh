#!/usr/bin/env bash
# Copies the variants the app's side-by-side view offers from experiments/runs (written by
# run_experiments.sh) into assets/variants, without their resume state and logs, and writes
# a model card for each. About 2.8 MB of float16 weights per variant.
set -euo pipefail
for direction in en-zh zh-en; do
  for name in base forward seed2 seed3 bidirectional attention; do
    src=experiments/runs/$direction/$name
    dst=assets/variants/$direction/$name
    rm -rf "$dst" && mkdir -p "$dst"
    cp "$src"/*.json "$src"/model.safetensors "$dst"/
    python -m seq2seq card --model "$dst" --notes experiments/variant-card-notes.md > /dev/null
  done
done
du -sh assets/variants/*/*
