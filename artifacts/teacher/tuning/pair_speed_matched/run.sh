#!/usr/bin/env bash
# Speed-matched +5 deg stage-2 pairs (stop 19): the stop-18 pair settings, plus cost_speed_mps=0.7,
# fixed before any run (the seed-5 control's speed in the stop-18 comparison). Usage: run.sh assist|noexo (logs: tune_upm_p5_SIDE.log)
set -euo pipefail
side=$1
if [ "$side" = assist ]; then
  cfg=config/train/reflex_160_upright_assist_thigh.yaml
  extra=(--set init_profile=artifacts/teacher/upright_fixed_person_assist.json)
else
  cfg=config/train/reflex_160_upright_effort_noexo.yaml
  extra=()
fi
for seed in 5 6 7; do
  python -m exo_sim reflex-tune --config "$cfg" --run-dir "runs/upm_p5_${side}_s${seed}" \
    --set init_params=artifacts/teacher/tuning/nodes/up5_v16/best.json "${extra[@]}" \
    --set 'slopes_deg=[5.0]' --set 'speeds_mps=[1.6]' --set stall_fraction=0.3 --set sigma0=0.1 \
    --set cost_speed_mps=0.7 --set seed=$seed --set generations=40
done
