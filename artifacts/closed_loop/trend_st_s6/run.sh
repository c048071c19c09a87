#!/usr/bin/env bash
# Stop 32 (issue 6): the second search's -5 deg speed-held pairs (CMA-ES seed 6, stop 31) through the
# deployed nodes. Person: the two assisted people as one schedule (1.2 / 1.6 m/s nodes,
# teacher_reflex_stage2_thigh_assist_m5_trend_st_s6.onnx); the student distilled from it in the
# policy node; baselines through the same launch, seed and duration: the person with its exo
# unpowered, and the two controls as one schedule wearing the unpowered exo.
#   run.sh STUDENT OUT ["SEEDS" [SPEEDS]]   -> OUT/seedS/closed_loop.json, OUT/summary.md
# As run: run.sh artifacts/student_trend_st_s6/student.onnx artifacts/closed_loop/trend_st_s6 "0 1 2" (then "3 4 5");
#         run.sh artifacts/student_trend_st_s6/student.onnx artifacts/closed_loop/trend_st_s6_v14 "0 1 2 3 4 5" 1.4
set -euo pipefail
T=artifacts/teacher
read -ra speeds <<< "${4:-1.2 1.6}"
exec "$(dirname "$0")/../run_effort.sh" $T/teacher_reflex_stage2_thigh_assist_m5_trend_st_s6.onnx \
  $T/teacher_reflex_noexo_control_m5_trend_st_s6.onnx "$1" "$2" "${3:-0 1 2}" --unpowered --speeds "${speeds[@]}" --slopes -5
