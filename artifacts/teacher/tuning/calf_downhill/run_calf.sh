#!/usr/bin/env bash
# Stop 26: the stronger calf (body.calf_from_myolegs) given to a fast downhill node by continuation
# in the body, on its own slope: -5 deg, 1.2 m/s, from slope_m5c (walks 1.24 m/s there).
#   run_calf.sh SPEED INIT TAG      e.g. run_calf.sh 1.2 artifacts/teacher/tuning/nodes/slope_m5c/best.json m5v12
# Runs calf 0.5 then 1.0, each from the previous best.json, into runs/calfdh_TAG_{50,100}.
set -euo pipefail
speed=$1 init=$2 tag=$3
for blend in 50 100; do
  python -m exo_sim reflex-tune --config config/train/reflex_160_upright_slope_node.yaml --run-dir runs/calfdh_${tag}_${blend} \
    --set "speeds_mps=[$speed]" --set 'slopes_deg=[-5.0]' --set 'seeds=[1, 2, 3]' --set duration_s=10.0 \
    --set env.body.calf_from_myolegs=$(python -c "print($blend / 100)") --set init_params=$init --set generations=10
  init=runs/calfdh_${tag}_${blend}/best.json
done
