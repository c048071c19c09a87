#!/usr/bin/env bash
# Stop 22: the packaged pair (the sim launch's own teacher and student) with effort baselines: the
# packaged person unpowered and its stop-16 control (reflex_stage2_noexo_control.json, exported as
# teacher_reflex_stage2_noexo_control.onnx) wearing the unpowered exo; bridge seeds 0-2, five level
# speeds, 20 s.  run.sh ["SEEDS" [OUT]] -> OUT/seedS/ (OUT: artifacts/closed_loop/thigh_pack_effort)
# Stop 24, with its sim start: run.sh "0 1 2" artifacts/closed_loop/thigh_pack_sim24/effort
# Stop 25, the start-weighted packaged student: run.sh "0 1 2" artifacts/closed_loop/start_weighted/packaged_effort
set -euo pipefail
exec "$(dirname "$0")/../run_effort.sh" artifacts/teacher/teacher_reflex_stage2_thigh_assist.onnx \
  artifacts/teacher/teacher_reflex_stage2_noexo_control.onnx exo_control/policy/students/student.onnx \
  "${2:-artifacts/closed_loop/thigh_pack_effort}" "${1:-0 1 2}" --unpowered
