#!/usr/bin/env bash
# Stop 32 (issue 6): the second search's -5 deg speed-held pairs (CMA-ES seed 6, stop 31) through the
# deployed nodes. Person: the two assisted people as one schedule (1.2 / 1.6 m/s nodes,
# teacher_reflex_stage2_thigh_assist_m5_trend_st_s6.onnx); the student distilled from it in the
# policy node; baselines through the same launch, seed and duration: the person with its exo
# unpowered, and the two controls as one schedule wearing the unpowered exo.
#   run.sh STUDENT OUT ["SEEDS"]   -> OUT/seedS/closed_loop.json, summary by summarise_effort.py
set -euo pipefail
cd "$(dirname "$0")/../../.."
student=$1 out=$2 T=artifacts/teacher
for seed in ${3:-0 1 2}; do
  .venv/bin/hip-exo closed-loop --teacher $T/teacher_reflex_stage2_thigh_assist_m5_trend_st_s6.onnx --student "$student" \
    --speeds 1.2 1.6 --slopes -5 --duration 20 --seed "$seed" --unpowered \
    --control $T/teacher_reflex_noexo_control_m5_trend_st_s6.onnx --out "$out/seed$seed"
done
.venv/bin/python artifacts/closed_loop/summarise_effort.py "$out" > "$out/summary.md"
