#!/usr/bin/env bash
# Issue 12: continue both shipped models from their weights for another ~95 minutes each,
# one per core at the same time, learning rate restarted at 5e-4 and halved whenever validation
# BLEU stalls and every epoch in the last 15 minutes. Every epoch's weights are kept in
# OUT/resume/ for checkpoint averaging (`python -m seq2seq average`).
# Trained on the 2-core development machine (CPU, one thread per model).
# Usage: bash experiments/train_continued.sh PATH/TO/cmn.txt [MINUTES]
set -euo pipefail
data=$1
minutes=${2:-95}
mkdir -p runs
common=(--data "$data" --embedding-size 384 --hidden-size 384 --num-layers 2 --dropout 0.3
        --batch-size 64 --max-epochs 60 --patience 6 --threads 1 --learning-rate 0.0005
        --max-minutes "$minutes" --lr-decay-minutes 15 --zh-units char --en-lowercase)
for d in en-zh zh-en; do
  python -m seq2seq train "${common[@]}" --direction $d --init-from assets/models/$d \
    --out runs/continued/$d >> runs/continued-$d.log 2>&1 &
done
wait
