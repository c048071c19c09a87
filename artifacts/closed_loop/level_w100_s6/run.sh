#!/usr/bin/env bash
# Stop 43 (issue 6): the level speed-held pairs of the second search (CMA-ES seed 6) through the
# deployed nodes. Person: the assisted people as one schedule (0.8 m/s node from stop 42's pair,
# 1.2 m/s node from stop 43's speed-weight-100 pair; teacher_reflex_stage2_thigh_assist_level_trend_st_w100_s6.onnx);
# the student distilled from it in the policy node; baselines through the same launch, seed and
# duration: the person with its exo unpowered, and the two controls as one schedule wearing the unpowered exo.
#   run.sh STUDENT OUT ["SEEDS" [SPEEDS]]   -> OUT/seedS/closed_loop.json, OUT/summary.md
# As run: run.sh artifacts/student_level_w100_s6/student.onnx artifacts/closed_loop/level_w100_s6 "0 1 2" (then "0 1 2 3 4 5");
#         run.sh artifacts/student_level_w100_s6/student.onnx artifacts/closed_loop/level_w100_s6_v10 "0 1 2" 1.0
#         (stop 44) run.sh artifacts/student_level_w100_s6_long/student.onnx artifacts/closed_loop/level_w100_s6_long "0 1 2 3 4 5";
#         run.sh artifacts/student_level_w100_s6_long_seed1/student.onnx artifacts/closed_loop/level_w100_s6_long_seed1 "0 1 2 3 4 5" 1.2;
#         run.sh artifacts/student_level_w100_s6_long_start4/student.onnx artifacts/closed_loop/level_w100_s6_long_start4 "0 1 2 3 4 5"
#         run.sh artifacts/student_level_w100_s6_long_ens3/student.onnx artifacts/closed_loop/level_w100_s6_long_ens3 "0 1 2 3 4 5"
# Stop 45: CLOCK fwd or set runs the schedule whose thigh clock is forward-only, or also started settled
# (teacher_reflex_stage2_thigh_assist_level_trend_st_w100_{fwd,set}_s6.onnx; level_w100_fwd_s6/run.sh), same controls.
#   run.sh STUDENT OUT "SEEDS" SPEEDS CLOCK
set -euo pipefail
T=artifacts/teacher
read -ra speeds <<< "${4:-0.8 1.2}"
clock=${5:-}
case $clock in ""|fwd|set) ;; *) echo "CLOCK: fwd or set"; exit 2 ;; esac
exec "$(dirname "$0")/../run_effort.sh" $T/teacher_reflex_stage2_thigh_assist_level_trend_st_w100_${clock:+${clock}_}s6.onnx \
  $T/teacher_reflex_noexo_control_level_trend_st_w100_s6.onnx "$1" "$2" "${3:-0 1 2}" --unpowered --speeds "${speeds[@]}" --slopes 0
