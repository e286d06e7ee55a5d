#!/usr/bin/env bash
# Trains the two shipped models, one per core, at the same time (about 55 minutes on
# the 2-core development machine), then writes their model cards.
# Usage: bash experiments/train_shipped.sh PATH/TO/cmn.txt
set -euo pipefail
data=$1
common=(--data "$data" --embedding-size 384 --hidden-size 384 --num-layers 2 --dropout 0.3
        --batch-size 64 --max-minutes 50 --max-epochs 40 --threads 1)
python -m seq2seq train "${common[@]}" --direction en-zh --zh-units char --en-lowercase --out assets/models/en-zh \
  > runs/en-zh.log 2>&1 &
python -m seq2seq train "${common[@]}" --direction zh-en --zh-units char --en-lowercase --out assets/models/zh-en \
  > runs/zh-en.log 2>&1 &
wait
for d in en-zh zh-en; do
  python -m seq2seq card --model assets/models/$d --notes experiments/model-card-notes.md
done
