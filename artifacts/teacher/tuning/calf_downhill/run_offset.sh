#!/usr/bin/env bash
# Stop 26: continuation up from a downhill node to level ground, a step of the slope offset only
# after a generation whose best candidate walks every run within TOL m/s of the commanded speed
# (curriculum_speed_tol_mps); stop 15's c12_0 stepped on walking alone and lost its speed on the way.
#   run_offset.sh SPEED INIT TAG CALF [START_DEG STEP_DEG TOL GENERATIONS]
#   e.g. run_offset.sh 1.2 artifacts/teacher/tuning/nodes/slope_m5c/best.json weak12 0
# into runs/offset_TAG; arguments after the eighth go to reflex-tune (e.g. all eight, then --set generations=35 --resume).
set -euo pipefail
speed=$1 init=$2 tag=$3 calf=$4 start=${5:--5.0} step=${6:-0.25} tol=${7:-0.1} gens=${8:-60}
python -m exo_sim reflex-tune --config config/train/reflex_160_upright_slope_node.yaml --run-dir runs/offset_${tag} \
  --set "speeds_mps=[$speed]" --set 'slopes_deg=[0.0]' --set 'seeds=[1, 2, 3]' --set duration_s=10.0 \
  --set stall_fraction=0.25 --set env.body.calf_from_myolegs=$calf --set init_params=$init \
  --set slope_offset_start_deg=$start --set slope_offset_step_deg=$step --set curriculum_speed_tol_mps=$tol \
  --set generations=$gens "${@:9}"
