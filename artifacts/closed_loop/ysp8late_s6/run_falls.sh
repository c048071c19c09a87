#!/usr/bin/env bash
# Stop 23: falls only (no baselines), more bridge seeds: the yielding seed-6 person with a student
# of it in the sim launch, the five level speeds, 20 s each, loop and teacher alone.
#   run_falls.sh STUDENT OUT "SEEDS" [TEACHER]   -> OUT/seedS/   (TEACHER: another pair's teacher)
# As run: run_falls.sh artifacts/student_ysp8late_s6_long/student.onnx artifacts/closed_loop/ysp8late_s6_long_falls "3 4 5 6 7 8 9 10 11 12"
#         run_falls.sh exo_control/policy/students/student.onnx artifacts/closed_loop/thigh_pack_falls "3 4 5 6 7 8 9 10 11 12" \
#           artifacts/teacher/teacher_reflex_stage2_thigh_assist.onnx
set -euo pipefail
student=$1 out=$2 T=artifacts/teacher
teacher=${4:-$T/teacher_reflex_stage2_thigh_assist_ysp8late_s6.onnx}
for seed in $3; do
  hip-exo closed-loop --teacher "$teacher" --student "$student" \
    --duration 20 --seed "$seed" --out "$out/seed$seed"
done
