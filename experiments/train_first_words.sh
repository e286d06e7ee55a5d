#!/usr/bin/env bash
# Issue 16: continue both shipped models from their weights for 50 minutes each, one niced thread per
# direction at the same time, on the training split with its short pairs weighted up: every pair whose
# English side has at most 3 words is learned 4 times an epoch (the 3 extra copies without final
# punctuation, as learners type), and the short halves of pairs with one comma a side ("Hello, Tom." →
# "Hello" | 你好) and 1,658 single-word pairs mined by co-occurrence ("cat" | 猫, "tomorrow" | 明天) are
# added 4 times each (seq2seq.data.extra_training_pairs). Nothing from valid, test, the learner's set or
# the first-words set; the vocabularies are the shipped ones.
# Same shape, vocabularies and learning-rate schedule as experiments/train_continued.sh.
# Trained on the 2-core development machine (CPU, one thread per model).
# Usage: bash experiments/train_first_words.sh PATH/TO/cmn.txt [MINUTES]
set -euo pipefail
data=$1
minutes=${2:-50}
mkdir -p runs
common=(--data "$data" --embedding-size 384 --hidden-size 384 --num-layers 2 --dropout 0.3
        --batch-size 64 --max-epochs 60 --patience 6 --threads 1 --learning-rate 0.0005
        --max-minutes "$minutes" --lr-decay-minutes 15 --zh-units char --en-lowercase
        --short-words 3 --short-weight 4 --short-unpunctuated --mine-clauses --mine-words)
for d in en-zh zh-en; do
  nohup nice -n 19 python3 -m seq2seq train "${common[@]}" --direction $d --init-from assets/models/$d \
    --out runs/short/$d >> runs/short-$d.log 2>&1 &
done
wait
