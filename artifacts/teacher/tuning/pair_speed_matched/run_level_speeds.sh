#!/usr/bin/env bash
# Speed-held level pairs at the other commanded speeds (stop 19): as run_level.sh, seed 5 only,
# 0.8 m/s commanded held to 0.80 and 1.6 m/s held to 0.93 (each between the stop-16 control's and
# assisted person's speeds there: 0.81 / 0.79 and 0.97 / 0.90), fixed before the runs.
# Usage: run_level_speeds.sh assist|noexo COMMANDED HELD   (logs: tune_lvm_SIDE_vCOMMANDED.log, e.g. tune_lvm_assist_v08.log)
set -euo pipefail
side=$1 v=$2 held=$3
if [ "$side" = assist ]; then
  cfg=config/train/reflex_160_upright_assist.yaml
  extra=(--set init_profile=artifacts/teacher/upright_fixed_person_assist.json --set env.assist_clock=thigh)
else
  cfg=config/train/reflex_160_upright_effort_noexo.yaml
  extra=()
fi
python -m exo_sim reflex-tune --config "$cfg" --run-dir "runs/lvm_${side}_v$(echo "$v" | tr -d .)_s5" \
  --set init_params=artifacts/teacher/reflex_upright_coadapted_noexo.json "${extra[@]}" \
  --set "speeds_mps=[$v]" --set sigma0=0.1 --set cost_speed_mps=$held --set seed=5 --set generations=50
