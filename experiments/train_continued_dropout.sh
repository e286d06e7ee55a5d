#!/usr/bin/env bash
# Issue 12, second cycle: continue the first cycle's best checkpoints (experiments/train_continued.sh)
# with stronger dropout (0.45; both runs overfit in cycle 1: training loss kept falling while validation
# loss rose from epoch 4-5), learning rate restarted at 3e-4 and halved on every stall, 45 minutes each,
# one per core at the same time. CPU, one thread per model, on the 2-core development machine.
# Usage: bash experiments/train_continued_dropout.sh PATH/TO/cmn.txt
set -euo pipefail
data=$1
common=(--data "$data" --embedding-size 384 --hidden-size 384 --num-layers 2 --dropout 0.45
        --batch-size 64 --max-epochs 60 --patience 3 --threads 1 --learning-rate 0.0003
        --max-minutes 45 --lr-decay-minutes 8 --zh-units char --en-lowercase)
for d in en-zh zh-en; do
  python -m seq2seq train "${common[@]}" --direction $d --init-from runs/continued/$d \
    --out runs/dropout/$d >> runs/dropout-$d.log 2>&1 &
done
wait
