#!/usr/bin/env bash
# Chinese units (char vs jieba words) and English casing (cased vs lowercased+truecased),
# each direction, chosen by validation BLEU under the same short budget.
# Usage: bash experiments/tokenization.sh PATH/TO/cmn.txt OUTDIR   (runs two trainings at a time)
set -euo pipefail
data=$1; out=${2:-runs/tokenization}; minutes=${MINUTES:-7}
mkdir -p "$out"
run() {  # name, then train options
  local name=$1; shift
  python -m seq2seq train --data "$data" --out "$out/$name" --threads 1 --max-minutes "$minutes" \
    --no-final-evaluation --no-half "$@" > "$out/$name.log" 2>&1
}
run en-zh.char.cased --direction en-zh --zh-units char & run en-zh.word.cased --direction en-zh --zh-units word & wait
run zh-en.char.cased --direction zh-en --zh-units char & run zh-en.word.cased --direction zh-en --zh-units word & wait
run en-zh.char.lower --direction en-zh --zh-units char --en-lowercase & run zh-en.char.lower --direction zh-en --zh-units char --en-lowercase & wait
grep -H best_valid_bleu "$out"/*.log
