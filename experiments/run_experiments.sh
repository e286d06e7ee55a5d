#!/usr/bin/env bash
# The paper's experiments on our data (issue 4): trains 17 variants of 128 units for
# 8 epochs each (the multi-task model's epochs cover both directions), two at a time
# with one thread each, then scores them and the shipped models' beam sizes and writes
# experiments/results.{json,md}. Training is deterministic: a rerun gives the same table.
# About 70 minutes of training and 15 of scoring on the 2-core development machine.
# Usage: bash experiments/run_experiments.sh PATH/TO/cmn.txt
set -euo pipefail
data=$1
python -m seq2seq experiments --data "$data" --epochs 8 --hidden-size 128 --jobs 2 --stage train
python -m seq2seq experiments --data "$data" --epochs 8 --hidden-size 128 --jobs 2 --stage score
