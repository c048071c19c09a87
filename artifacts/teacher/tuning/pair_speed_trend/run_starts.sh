#!/usr/bin/env bash
# Stop 30 (issue 6): the stop-28 trend pairs lost their nodes' start-robustness (tuned from two starts,
# they fall from 3-7 of 8 held-out starts at 0.8 and 1.6 m/s). Each side continues from its own
# stop-28 best with the 16 start seeds of tuning/starts/run_node.sh (1-3, 20-32; 5 s each, so a fall
# in the first steps from any of them dominates), the same held speed and costs on both sides.
#   run_starts.sh SIDE SPEED [SEED, default 5] -> runs/trend_st_SIDE_vNN_sSEED
set -euo pipefail
cd "$(dirname "$0")/../../../.."
side=$1 speed=$2 seed=${3:-5}
D=artifacts/teacher/tuning/pair_speed_trend
case $speed in
  0.8) held=0.90 ;;
  1.2) held=1.25 ;;
  1.6) held=1.47 ;;
  *) echo "SPEED: 0.8, 1.2 or 1.6"; exit 2 ;;
esac
tag=v$(echo "$speed" | tr -d .)
from=$D/${side}_${tag}_s$seed/best.json
case $side in
  assist) cfg=config/train/reflex_160_upright_assist_thigh.yaml; extra=(--set init_profile="$from") ;;
  noexo) cfg=config/train/reflex_160_upright_effort_noexo.yaml; extra=() ;;
  *) echo "SIDE: assist or noexo"; exit 2 ;;
esac
.venv/bin/python -m exo_sim reflex-tune --config $cfg --run-dir "runs/trend_st_${side}_${tag}_s$seed" \
  --set init_params="$from" "${extra[@]}" \
  --set "speeds_mps=[$speed]" --set 'slopes_deg=[-5.0]' --set "seeds=[1, 2, 3, $(seq -s ', ' 20 32)]" \
  --set duration_s=5.0 --set sigma0=0.08 --set cost_speed_mps=$held --set seed="$seed" --set generations=20
