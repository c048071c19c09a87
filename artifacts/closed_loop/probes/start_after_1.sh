#!/usr/bin/env bash
# Stop 23 probe: the yielding pair's loop at 1.2 and 1.4 m/s, bridge seeds 0-12, with the policy
# node acting from its first gyro sample (sim_start_after_1.yaml: policy.start_after_samples 1)
# instead of after a full 0.6 s history. Compare with ../ysp8late_s6_long_falls and
# ../ysp8late_s6_long/control_s6 (the default node).   bash artifacts/closed_loop/probes/start_after_1.sh
set -euo pipefail
for seed in 0 1 2 3 4 5 6 7 8 9 10 11 12; do
  hip-exo closed-loop --teacher artifacts/teacher/teacher_reflex_stage2_thigh_assist_ysp8late_s6.onnx \
    --student artifacts/student_ysp8late_s6_long/student.onnx --speeds 1.2 1.4 --slopes 0 --duration 20 --seed "$seed" \
    --config artifacts/closed_loop/probes/sim_start_after_1.yaml --out "artifacts/closed_loop/ysp8late_s6_start_after_1/seed$seed"
done
