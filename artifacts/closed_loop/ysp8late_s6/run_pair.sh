#!/usr/bin/env bash
# Stop 22: the yielding seed-6 person (teacher_reflex_stage2_thigh_assist_ysp8late_s6.onnx) with a
# student of it in the sim launch, bridge seeds 0-2, the five level speeds, 20 s each; effort
# against the same person unpowered and the two level controls (s6, s5) wearing the unpowered exo.
#   run_pair.sh STUDENT OUT ["SEEDS"]   -> OUT/{control_s6,control_s5}/seedS/
# As run: run_pair.sh artifacts/student_ysp8late_s6/student.onnx artifacts/closed_loop/ysp8late_s6
#         run_pair.sh artifacts/student_ysp8late_s6_long/student.onnx artifacts/closed_loop/ysp8late_s6_long
#  stop 24 (its sim start): run_pair.sh artifacts/student_ysp8late_s6_long/student.onnx artifacts/closed_loop/ysp8late_s6_long_sim24/effort
#  stop 25 (start-weighted student): run_pair.sh artifacts/student_ysp8late_s6_start/student.onnx artifacts/closed_loop/start_weighted/yielding_effort
set -euo pipefail
run="$(dirname "$0")/../run_effort.sh" T=artifacts/teacher
"$run" $T/teacher_reflex_stage2_thigh_assist_ysp8late_s6.onnx $T/teacher_reflex_noexo_control_level_matched_s6.onnx \
  "$1" "$2/control_s6" "${3:-0 1 2}" --unpowered
"$run" $T/teacher_reflex_stage2_thigh_assist_ysp8late_s6.onnx $T/teacher_reflex_noexo_control_level_matched_s5.onnx \
  "$1" "$2/control_s5" "${3:-0 1 2}"
