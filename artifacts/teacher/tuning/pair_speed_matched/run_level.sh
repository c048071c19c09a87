#!/usr/bin/env bash
# Speed-matched level stage-2 pairs (stop 19): the stop-16 thigh-pair settings from the stage-1
# person, but one commanded speed (1.2 m/s) and cost_speed_mps=0.85, fixed before any run (between
# the stop-16 control's 0.89 and assisted person's 0.84 m/s at 1.2 m/s). Usage: run_level.sh assist|noexo (logs: tune_lvm_SIDE.log)
set -euo pipefail
side=$1
if [ "$side" = assist ]; then
  cfg=config/train/reflex_160_upright_assist.yaml
  extra=(--set init_profile=artifacts/teacher/upright_fixed_person_assist.json --set env.assist_clock=thigh)
else
  cfg=config/train/reflex_160_upright_effort_noexo.yaml
  extra=()
fi
for seed in 5 6; do
  python -m exo_sim reflex-tune --config "$cfg" --run-dir "runs/lvm_${side}_s${seed}" \
    --set init_params=artifacts/teacher/reflex_upright_coadapted_noexo.json "${extra[@]}" \
    --set 'speeds_mps=[1.2]' --set sigma0=0.1 --set cost_speed_mps=0.85 --set seed=$seed --set generations=50
done
