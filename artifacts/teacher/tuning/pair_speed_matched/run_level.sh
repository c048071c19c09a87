#!/usr/bin/env bash
# Speed-held level stage-2 pairs (stop 19): the stop-16 thigh-pair settings from the stage-1
# person, but one commanded speed and cost_speed_mps held, fixed before any run. As run:
#   run_level.sh SIDE                 1.2 m/s held to 0.85 (between the stop-16 control's 0.89 and
#                                     assisted person's 0.84 m/s there), seeds 5 and 6; logs tune_lvm_SIDE.log
#   run_level.sh SIDE 0.8 0.80 5      0.8 m/s held to 0.80 (stop 16: 0.81 / 0.79); logs tune_lvm_SIDE_v08.log
#   run_level.sh SIDE 1.6 0.93 5      1.6 m/s held to 0.93 (stop 16: 0.97 / 0.90); logs tune_lvm_SIDE_v16.log
# (The 0.8 and 1.6 m/s runs ran from a copy of this script with those values, run_level_speeds.sh,
# merged here afterwards; the commands are the same.)
# SIDE is assist or noexo. Run dirs: runs/lvm_SIDE_sSEED at 1.2 m/s, runs/lvm_SIDE_vNN_sSEED otherwise.
set -euo pipefail
side=$1 v=${2:-1.2} held=${3:-0.85} seeds=${4:-"5 6"}
tag=$([ "$v" = 1.2 ] && echo "" || echo "_v$(echo "$v" | tr -d .)")
if [ "$side" = assist ]; then
  cfg=config/train/reflex_160_upright_assist.yaml
  extra=(--set init_profile=artifacts/teacher/upright_fixed_person_assist.json --set env.assist_clock=thigh)
else
  cfg=config/train/reflex_160_upright_effort_noexo.yaml
  extra=()
fi
for seed in $seeds; do
  python -m exo_sim reflex-tune --config "$cfg" --run-dir "runs/lvm_${side}${tag}_s${seed}" \
    --set init_params=artifacts/teacher/reflex_upright_coadapted_noexo.json "${extra[@]}" \
    --set "speeds_mps=[$v]" --set sigma0=0.1 --set cost_speed_mps=$held --set seed=$seed --set generations=50
done
