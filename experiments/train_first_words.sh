#!/usr/bin/env bash
# Issue 16: continue both shipped models from their weights for MINUTES each, one niced thread per direction at
# the same time, on the training split with its short pairs weighted up: every pair whose English side has at
# most 3 words is learned WEIGHT times an epoch (the extra copies without final punctuation, as learners type),
# and the short halves of pairs with one comma a side ("Hello, Tom." → "Hello" | 你好) and single-word pairs mined
# by co-occurrence against jieba words ("cat" | 猫, "tomorrow" | 明天; a word that is a whole training sentence of
# its own, "Goodbye!" | 再见！, is left to that pair) are added WEIGHT times each (seq2seq.data.extra_training_pairs).
# Nothing from valid, test, the learner's set or the first-words set; the vocabularies are the shipped ones.
# Same shape, vocabularies and learning-rate schedule as experiments/train_continued.sh.
# Trained on the 2-core development machine (CPU, one thread per model).
#   run 5: bash experiments/train_first_words.sh cmn.txt 55 3 runs/r5 runs/r5, from run 4's weights, with each
#          direction also reading the other direction's translations of the training split (back-translation),
#          made first by `python -m seq2seq diversify --model assets/models/D --data cmn.txt --out runs/r5/bt-from-D.txt`
#   run 4 (shipped): bash experiments/train_first_words.sh cmn.txt 55 3 runs/r4
#   run 3: weight 4, 50 minutes, with single words mined against 1-3-character n-grams (commit 59e6e18)
# Usage: bash experiments/train_first_words.sh PATH/TO/cmn.txt [MINUTES] [WEIGHT] [OUT] [BACK_TRANSLATIONS_DIR]
set -euo pipefail
data=$1
minutes=${2:-55}
weight=${3:-3}
out=${4:-runs/first-words}
bt=${5:-}
mkdir -p "$out"
common=(--data "$data" --embedding-size 384 --hidden-size 384 --num-layers 2 --dropout 0.3
        --batch-size 64 --max-epochs 60 --patience 6 --threads 1 --learning-rate 0.0005
        --max-minutes "$minutes" --lr-decay-minutes 15 --zh-units char --en-lowercase
        --short-words 3 --short-weight "$weight" --short-unpunctuated --mine-clauses --mine-words)
for d in en-zh zh-en; do
  other=$([ $d = en-zh ] && echo zh-en || echo en-zh)
  synthetic=(${bt:+--synthetic "$bt/bt-from-$other.txt"})
  nohup nice -n 19 python3 -m seq2seq train "${common[@]}" "${synthetic[@]}" --direction $d \
    --init-from assets/models/$d --out "$out/$d" >> "$out-$d.log" 2>&1 &
done
wait
