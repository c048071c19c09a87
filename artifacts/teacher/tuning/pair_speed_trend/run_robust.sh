#!/usr/bin/env bash
# Stop 47 (issue 6): a third stage for start robustness. The speed-floor assisted searches hold the speed
# at level 1.2 m/s but fall from 1-4 of 8 compare starts, mostly within the first 3 s (the controls 0-1):
# stage 2 fits eight fixed starts. This stage continues a stage-2 best from sixteen starts (stage 2's
# 1-3, 20-24 and eight more, 25-32; the compare seeds 0-17 and 40-47 stay held out, their starts drawn
# from another stream) for 10 generations of 15 s, with a smaller step, the same costs and held speed.
#   run_robust.sh SIDE SPEED SEED SLOPE WEIGHT CLOCK FLOOR  (run_pair.sh's arguments)
#     -> runs/trend_rb_VARIANT_SIDE_TAG_sSEED, copied to rb_VARIANT_SIDE_TAG_sSEED/
set -euo pipefail
cd "$(dirname "$0")/../../../.."
source artifacts/teacher/tuning/pair_speed_trend/tag.sh
side=$1 speed=$2 seed=$3 slope=$4 weight=${5:-} clock=${6:-thigh} floor=${7:-}
var=$(pair_variant "$weight" "$clock" "$floor")
[ "$clock" = thigh ] || [ "$side" = assist ] || { echo "CLOCK $clock: the assisted side only"; exit 2; }
D=artifacts/teacher/tuning/pair_speed_trend
tag=$(pair_tag "$slope" "$speed")
stage2=$D/st_${var}${side}_${tag}_s$seed
held=$(.venv/bin/python -c "import json, sys; print(json.load(open(sys.argv[1]))['reflex_tuning']['cost_speed_mps'])" "$stage2/config.json")
case $side in
  assist) cfg=$(pair_assist_config "$clock"); extra=(--set init_profile="$stage2/best.json") ;;
  noexo) cfg=config/train/reflex_160_upright_effort_noexo.yaml; extra=() ;;
  *) echo "SIDE: assist or noexo"; exit 2 ;;
esac
run=runs/trend_rb_${var}${side}_${tag}_s$seed
.venv/bin/python -m exo_sim reflex-tune --config "$cfg" --run-dir "$run" --set init_params="$stage2/best.json" "${extra[@]}" \
  --set "speeds_mps=[$speed]" --set "slopes_deg=[$slope]" --set "seeds=[1, 2, 3, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]" \
  --set duration_s=15.0 --set sigma0=0.05 --set cost_speed_mps="$held" --set seed="$seed" --set generations=10 \
  ${weight:+--set speed_weight=$weight} ${floor:+--set speed_floor_weight=$floor}
rm -rf "$D/rb_${var}${side}_${tag}_s$seed" && cp -r "$run" "$D/rb_${var}${side}_${tag}_s$seed"
