#!/usr/bin/env bash
# Stop 20: speed-held level assisted searches (1.2 m/s commanded, cost_speed_mps 0.85, as
# run_level.sh assist) started from a different assistance profile. Their controls are
# run_level.sh noexo's (the control does not depend on the profile).
#   run_level_profile.sh PROFILE_JSON TAG "SEEDS" [INIT]    run dirs runs/lvp_TAG_sSEED, logs tune_lvp_TAG.log
# INIT: the person to start from (default the stage-1 person, as in run_level.sh). Another speed:
# SPEED=0.8 HELD=0.80 (commanded and held, m/s; default 1.2 and 0.85).
set -euo pipefail
profile=$1 tag=$2 seeds=${3:-5} init=${4:-artifacts/teacher/reflex_upright_coadapted_noexo.json}
speed=${SPEED:-1.2} held=${HELD:-0.85}
for seed in $seeds; do
  python -m exo_sim reflex-tune --config config/train/reflex_160_upright_assist.yaml --run-dir "runs/lvp_${tag}_s${seed}" \
    --set init_params="$init" --set init_profile="$profile" \
    --set env.assist_clock=thigh --set "speeds_mps=[$speed]" --set sigma0=0.1 --set cost_speed_mps=$held \
    --set seed=$seed --set generations=50
done
