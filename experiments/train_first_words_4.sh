#!/usr/bin/env bash
# Issue 16, run 4: run 3's recipe (experiments/train_first_words.sh) with the two changes its errors
# pointed to: the single-word pairs are mined against jieba words instead of raw character n-grams
# (run 3 mined "hi" | 叫汤姆, "morning" | 天早上), a word that is a whole training sentence of its own
# ("Goodbye!" | 再见！) is not mined at all (run 3 mined "goodbye" | 说再见), and short pairs weigh 3
# instead of 4 (the 4x weight made the models repeat the split's own short pairs). From the shipped weights.
# Usage: bash experiments/train_first_words_4.sh PATH/TO/cmn.txt [MINUTES]
set -euo pipefail
data=$1
minutes=${2:-55}
mkdir -p runs
common=(--data "$data" --embedding-size 384 --hidden-size 384 --num-layers 2 --dropout 0.3
        --batch-size 64 --max-epochs 60 --patience 6 --threads 1 --learning-rate 0.0005
        --max-minutes "$minutes" --lr-decay-minutes 15 --zh-units char --en-lowercase
        --short-words 3 --short-weight 3 --short-unpunctuated --mine-clauses --mine-words)
for d in en-zh zh-en; do
  nohup nice -n 19 python3 -m seq2seq train "${common[@]}" --direction $d --init-from assets/models/$d \
    --out runs/r4/$d >> runs/r4-$d.log 2>&1 &
done
wait
