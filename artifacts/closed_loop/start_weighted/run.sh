#!/usr/bin/env bash
# Stop 25: a start-weighted student in the sim launch, the five level speeds, 20 s, bridge seeds
# in one `hip-exo closed-loop --seeds` run (loop / teacher through the nodes / teacher alone and
# the table over seeds in OUT/closed_loop.md).
#   run.sh TEACHER STUDENT OUT "SEEDS"
# As run (two halves of the seeds at a time, one per core):
#   run.sh artifacts/teacher/teacher_reflex_stage2_thigh_assist_ysp8late_s6.onnx \
#     artifacts/student_ysp8late_s6_start/student.onnx artifacts/closed_loop/start_weighted/yielding/seeds0-6 "0 1 2 3 4 5 6"
#   (and seeds 7-12; the packaged pair with artifacts/teacher/teacher_reflex_stage2_thigh_assist.onnx and
#   artifacts/student_thigh_start/student.onnx into start_weighted/packaged/)
set -euo pipefail
teacher=$1 student=$2 out=$3 seeds=$4
hip-exo closed-loop --teacher "$teacher" --student "$student" --speeds 0.8 1.0 1.2 1.4 1.6 --slopes 0 \
  --duration 20 --seeds $seeds --out "$out"
