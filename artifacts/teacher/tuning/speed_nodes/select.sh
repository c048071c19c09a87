#!/bin/bash
# Stop 35: selection between a schedule node and its speed-accurate continuations, on start seeds
# 40-49 only (neither tuning nor held out), 20 s at the node's condition. Rule, fixed before any
# held-out run: the candidate that walks 20 s within 0.1 m/s of the commanded speed from more of the
# ten starts (the issue-5 criterion); on a tie, the one that walks from more; then the lower mean
# |speed error| of its walks. Output: select.txt beside this script.
# usage: select.sh SPEED_MPS SLOPE_DEG NAME=FILE NAME=FILE ...
set -e
cd "$(dirname "$0")/../../../.."
speed=$1; slope=$2; shift 2
for spec in "$@"; do
  name=${spec%%=*}; file=${spec#*=}
  .venv/bin/python -m exo_sim evaluate --reflex "$file" --config config/train/reflex_160_upright_slope_node.yaml \
    --out runs/select_${name} --speeds $speed --slopes $slope --start-seeds $(seq 40 49) --duration 20 > /dev/null 2>&1
  .venv/bin/python artifacts/teacher/tuning/speed_nodes/summarize_select.py "$name" "runs/select_${name}/starts.csv"
done
