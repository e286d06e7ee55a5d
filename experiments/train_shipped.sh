#!/usr/bin/env bash
# Trains the two shipped models, one per core, at the same time, then writes their model cards.
# Stage 1: 50 minutes each (learning rate halved only when validation BLEU stalls).
# Stage 2: the same command resumed with 6 more minutes, halving the learning rate every
# epoch (zh-en never stalled in stage 1, so its rate had never been lowered).
# About 51 + 6 minutes of training per model on the 2-core development machine.
# Usage: bash experiments/train_shipped.sh PATH/TO/cmn.txt
set -euo pipefail
data=$1
mkdir -p runs
common=(--data "$data" --embedding-size 384 --hidden-size 384 --num-layers 2 --dropout 0.3
        --batch-size 64 --max-epochs 40 --threads 1)
train_both() {
  python -m seq2seq train "${common[@]}" "$@" --direction en-zh --zh-units char --en-lowercase \
    --out assets/models/en-zh >> runs/en-zh.log 2>&1 &
  python -m seq2seq train "${common[@]}" "$@" --direction zh-en --zh-units char --en-lowercase \
    --out assets/models/zh-en >> runs/zh-en.log 2>&1 &
  wait
}
train_both --max-minutes 50
train_both --max-minutes 56 --lr-decay-minutes 6
for d in en-zh zh-en; do
  python -m seq2seq card --model assets/models/$d --notes experiments/model-card-notes.md
done
