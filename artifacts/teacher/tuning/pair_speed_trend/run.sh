#!/usr/bin/env bash
# Stop 28 (issue 6, the trend with speed at equal speed): a speed-held pair on -5 deg at three
# commanded speeds, from that condition's schedule node, where the walkers reach the commanded speed
# (level walkers all settle at 0.8-1.06 m/s, so level ground cannot show a trend with speed).
#   assisted: the yielding person (hip_yield_ext = hip_yield_flex = 0.3, as person_stage1_yield03.json)
#             from the stop-20 late-extension 8 Nm profile, thigh clock (the stop-21 level recipe);
#   control:  the same node, exo worn and passive, the same effort cost.
# Held speeds, fixed before any run: each node's mean speed on its own condition (starts 40-49,
# tuning/starts/select.txt; slope_m5c from held-out seed 0, whose walks at 1.2 m/s are 1.24-1.25).
#   run.sh SIDE SPEED   (SIDE assist|noexo; SPEED 0.8|1.2|1.6) [SEED, default 5] -> runs/trend_SIDE_vNN_sSEED
# Stop 42, level ground (SLOPE 0; the default -5 runs as before), now that level nodes reach 0.8 and
# 1.2 m/s commanded: reflex_upright.json held to 0.81 m/s, speed_nodes/lv_12_s5_st6 to 1.15 (their
# mean speeds from starts 40-49, tuning/speed_nodes/select.txt).
#   run.sh SIDE SPEED SEED 0   (SPEED 0.8|1.2) -> runs/trend_SIDE_lvNN_sSEED
# Stop 43: an optional speed-error weight (per m/s; the configs' is 20) for both sides alike, where
# the effort cost pulled the level 1.2 m/s pairs off the held speed; its runs are a variant wWEIGHT_:
#   run.sh SIDE SPEED SEED SLOPE WEIGHT -> runs/trend_wWEIGHT_SIDE_TAG_sSEED
# Stop 45: CLOCK forward tunes the assisted side with its thigh phase forward-only and rate-limited
# (config/train/reflex_160_upright_assist_thigh_forward.yaml), CLOCK settled with that clock started from walking
# values (..._settled.yaml); the control's exo is passive, so it has no clock (tag.sh's pair_clock, pair_assist_config):
#   run.sh assist SPEED SEED SLOPE WEIGHT forward -> runs/trend_wWEIGHT_fwd_assist_TAG_sSEED (WEIGHT may be "")
# Stop 46: level 1.0 m/s from the speed-accurate level node lv_10_sp (not the schedule's lv_10, which walks
# 0.92 m/s), held to 1.02 m/s: the mean of its speeds within 0.1 m/s of 1.0 from starts 40-49 (speed_nodes/select.txt).
# Stop 47: an optional speed-floor weight (ReflexTuneConfig.speed_floor_weight, per m/s below the held speed less
# 0.02) for both sides alike, where 4 of 6 settled-clock assisted searches settled 0.04-0.09 m/s slow (stop 46):
#   run.sh SIDE SPEED SEED SLOPE WEIGHT CLOCK FLOOR -> runs/trend_wWEIGHT_flFLOOR_[set_]SIDE_TAG_sSEED
set -euo pipefail
cd "$(dirname "$0")/../../../.."
source artifacts/teacher/tuning/pair_speed_trend/tag.sh
side=$1 speed=$2 seed=${3:-5} slope=${4:--5} weight=${5:-} clock=${6:-thigh} floor=${7:-}
var=$(pair_variant "$weight" "$clock" "$floor")
[ "$clock" = thigh ] || [ "$side" = assist ] || { echo "CLOCK $clock: the assisted side only"; exit 2; }
D=artifacts/teacher/tuning/pair_speed_trend N=artifacts/teacher/tuning/nodes S=artifacts/teacher/tuning/starts
case $slope:$speed in
  -5:0.8) node=$S/m5_v08_st/best.json held=0.90 ;;
  -5:1.2) node=$N/slope_m5c/best.json held=1.25 ;;
  -5:1.6) node=$S/m5_v16_st/best.json held=1.47 ;;
  0:0.8) node=artifacts/teacher/reflex_upright.json held=0.81 ;;
  0:1.0) node=artifacts/teacher/tuning/speed_nodes/lv_10_sp/best.json held=1.02 ;;
  0:1.2) node=artifacts/teacher/tuning/speed_nodes/lv_12_s5_st6/best.json held=1.15 ;;
  *) echo "SLOPE:SPEED: -5:0.8, -5:1.2, -5:1.6, 0:0.8, 0:1.0 or 0:1.2"; exit 2 ;;
esac
tag=$(pair_tag "$slope" "$speed")
if [ "$side" = assist ]; then
  person=$D/person_$([ "$slope" = 0 ] && echo "$tag" || echo "m5_$tag")_yield03.json
  .venv/bin/python - "$node" "$person" <<'PY'
import json, sys
node = json.load(open(sys.argv[1]))
params = dict(node["params"], hip_yield_ext=0.3, hip_yield_flex=0.3)
json.dump({"note": f"stop 28: {sys.argv[1]}'s params with its hip drive yielding to the exo from the start "
                   "(hip_yield_ext = hip_yield_flex = 0.3, as person_stage1_yield03.json)", "params": params},
          open(sys.argv[2], "w"), indent=1)
PY
  cfg=$(pair_assist_config "$clock")
  extra=(--set init_params="$person" --set init_profile=artifacts/teacher/tuning/pair_speed_matched/profile_8nm_late_ext.json)
elif [ "$side" = noexo ]; then
  cfg=config/train/reflex_160_upright_effort_noexo.yaml
  extra=(--set init_params="$node")
else
  echo "SIDE: assist or noexo"; exit 2
fi
.venv/bin/python -m exo_sim reflex-tune --config $cfg --run-dir "runs/trend_${var}${side}_${tag}_s$seed" "${extra[@]}" ${weight:+--set speed_weight=$weight} ${floor:+--set speed_floor_weight=$floor} \
  --set "speeds_mps=[$speed]" --set "slopes_deg=[$slope]" --set sigma0=0.1 --set cost_speed_mps=$held \
  --set seed="$seed" --set generations=40
