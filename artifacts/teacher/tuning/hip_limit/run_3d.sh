#!/bin/bash
# Stop 40: a 3D fresh-start search from the best 3D walker (stop 39, b3d_fresh8_heading_s9_more generation 220),
# seed 11, 8 fresh starts of 6 s per generation, 60 generations. Stop 40 ran two, with the same starts in every generation:
#   run_3d.sh b3d_gate --set hip_ext_gate=true                                          (the gate searched from off)
#   INIT=artifacts/teacher/tuning/hip_limit/init_b3d_gate.json run_3d.sh b3d_gate_on --set hip_ext_gate=true   (from on)
# usage: [INIT=START_JSON] run_3d.sh NAME [extra --set ...]
cd "$(dirname "$0")/../../../.."
name=$1; shift
.venv/bin/python -m exo_sim reflex-tune --config config/train/reflex_160_3d_stance.yaml --run-dir runs/$name --set frontal_push=true \
  --set frontal_heading=true --set generations=60 --set init_params=${INIT:-artifacts/teacher/tuning/body3d/runs/b3d_fresh8_heading_s9_more/mean.json} \
  --set seed=11 --set fresh_starts=8 --set duration_s=6.0 --set frontal_support_nm_per_rad=0.0 --set frontal_support_nm_s_per_rad=0.0 \
  --set lateral_support_n_per_m=0.0 --set lateral_support_n_s_per_m=0.0 "$@"
