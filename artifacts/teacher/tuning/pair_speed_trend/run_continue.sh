#!/usr/bin/env bash
# Stop 48 (issue 6): a speed node tuned from another speed's node of the same search, not a fresh search.
# The level schedules blend two unrelated searches (0.8 and 1.2 m/s), and between them the blend falls or
# walks 0.2-0.3 m/s slow (student_level_rb_w100_fl400_set_s9/teacher_between_nodes/). Here a side's robust
# best at FROM m/s (rb_VARIANT_SIDE_lvFROM_sSEED, after run_robust.sh) is continued at TO m/s, held to HELD m/s,
# with stage 2's eight starts (1-3, 20-24), 15 generations of 15 s, step 0.08 and the same costs, on both sides
# alike (run_starts.sh's st stage, but from the other speed's node).
#   run_continue.sh SIDE FROM TO HELD SEED WEIGHT CLOCK FLOOR  (level ground; e.g. assist 1.2 1.0 1.02 9 100 settled 400)
#     -> runs/trend_cfFROM_VARIANT_SIDE_lvTO_sSEED, copied to cfFROM_VARIANT_SIDE_lvTO_sSEED/ (FROM without the dot)
set -euo pipefail
cd "$(dirname "$0")/../../../.."
source artifacts/teacher/tuning/pair_speed_trend/tag.sh
side=$1 from=$2 to=$3 held=$4 seed=$5 weight=${6:-} clock=${7:-thigh} floor=${8:-}
var=$(pair_variant "$weight" "$clock" "$floor")
[ "$clock" = thigh ] || [ "$side" = assist ] || { echo "CLOCK $clock: the assisted side only"; exit 2; }
D=artifacts/teacher/tuning/pair_speed_trend
src=$D/rb_${var}${side}_$(pair_tag 0 "$from")_s$seed/best.json
name=cf$(echo "$from" | tr -d .)_${var}${side}_$(pair_tag 0 "$to")_s$seed
case $side in
  assist) cfg=$(pair_assist_config "$clock"); extra=(--set init_profile="$src") ;;
  noexo) cfg=config/train/reflex_160_upright_effort_noexo.yaml; extra=() ;;
  *) echo "SIDE: assist or noexo"; exit 2 ;;
esac
.venv/bin/python -m exo_sim reflex-tune --config "$cfg" --run-dir "runs/trend_$name" \
  --set init_params="$src" "${extra[@]}" \
  --set "speeds_mps=[$to]" --set "slopes_deg=[0]" --set "seeds=[1, 2, 3, 20, 21, 22, 23, 24]" \
  --set duration_s=15.0 --set sigma0=0.08 --set cost_speed_mps="$held" --set seed="$seed" --set generations=15 \
  ${weight:+--set speed_weight=$weight} ${floor:+--set speed_floor_weight=$floor}
rm -rf "$D/$name" && cp -r "runs/trend_$name" "$D/$name"
