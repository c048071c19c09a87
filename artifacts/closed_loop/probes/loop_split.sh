#!/usr/bin/env bash
# Stop 44: the level 1.2 m/s loop's r over its first 4 s and the rest, per student and bridge seed
# (loop_error.py's summary line), for the seed-6 level schedule.
#   loop_split.sh "STUDENT..." ["SEEDS"] [TEACHER]   -> one line per student and seed on stdout
# TEACHER (stop 45): another teacher than that schedule, e.g. its forward-clock version.
set -euo pipefail
cd "$(dirname "$0")/../../.."
T=${3:-artifacts/teacher/teacher_reflex_stage2_thigh_assist_level_trend_st_w100_s6.onnx}
for student in $1; do
  for seed in ${2:-0 1 2 3 4 5}; do
    line=$(.venv/bin/python artifacts/closed_loop/probes/loop_error.py "$T" "$student" 1.2 "$seed" 2>/dev/null \
      | grep -E "falls|r whole" | sed 's/.*falls/falls/' | tr '\n' ' ')
    echo "$student seed $seed: $line"
  done
done
