#!/usr/bin/env bash
# Stop 30 (issue 6): the stop-28 trend pairs, tuned from two starts for 12 s, fall from 3-7 of 8
# held-out starts at 0.8 and 1.6 m/s. At 1.6 m/s from `evaluate --start-seeds 8-17` (20 s) the control falls in its
# first 3 s (4 of 10) but the assisted person late, at 11-18 s (7 of 10), so neither 5 s runs nor two
# starts find those falls. Each side continues from its own stop-28 best from eight start seeds
# (1-3, 20-24; held out: the compare seeds 0-17, whose starts are drawn from another stream) for
# 15 s each, the same held speed and costs on both sides.
#   run_starts.sh SIDE SPEED [SEED, default 5] [SLOPE, default -5] -> runs/trend_st_SIDE_vNN_sSEED
# (SLOPE 0, stop 42: runs/trend_st_SIDE_lvNN_sSEED). The held speed and slope are the stage-1 run's own
# (its config.json, as run.sh set them). WEIGHT (stop 43): the speed-error weight of run.sh's variant
# wWEIGHT_, continued with the same weight -> runs/trend_st_wWEIGHT_SIDE_TAG_sSEED.
#   run_starts.sh SIDE SPEED SEED SLOPE [WEIGHT]
# CLOCK (stop 45; run.sh's): forward or settled continues an assisted side tuned with that thigh clock, with it.
#   run_starts.sh assist SPEED SEED SLOPE WEIGHT forward
# FLOOR (stop 47; run.sh's): the speed-floor weight, continued with it.
#   run_starts.sh SIDE SPEED SEED SLOPE WEIGHT CLOCK FLOOR
# STAGE (stop 47; default st): rb continues this stage's best (st_...) from sixteen starts, the eight above
# and 25-32, for 10 generations with step 0.05 -> runs/trend_rb_VARIANT_SIDE_TAG_sSEED (run_robust.sh).
#   run_starts.sh SIDE SPEED SEED SLOPE WEIGHT CLOCK FLOOR rb
# STAGE cf (stop 48): this stage's settings, but from another speed FROM's robust best (rb_...) and held to HELD m/s
# -> runs/trend_cfFROM_VARIANT_SIDE_TAG_sSEED, FROM without the dot (run_continue.sh).
#   run_starts.sh SIDE SPEED SEED SLOPE WEIGHT CLOCK FLOOR cf FROM HELD
# STAGE bd (stop 49): a speed band. Continues this speed's cf best (cfFROM_...) for 12 generations of 20 s (the
# compare's length; the continued assisted gait sped up after 15 s) with step 0.05, the same starts, costs and held
# speed, plus a ceiling: speed_ceiling_weight = the floor's weight, above held + 0.03 m/s
# -> runs/trend_bdFROM_VARIANT_SIDE_TAG_sSEED (run_band.sh).
#   run_starts.sh SIDE SPEED SEED SLOPE WEIGHT CLOCK FLOOR bd FROM
# STAGE cb (stop 49): cf's settings from another speed FROM's SRC best (SRCFROM_..., e.g. bd12 for a bd stage continued
# from 1.2 m/s), under bd's band and 20 s runs -> runs/trend_cbFROM_VARIANT_SIDE_TAG_sSEED (run_continue.sh with SRC).
#   run_starts.sh SIDE SPEED SEED SLOPE WEIGHT CLOCK FLOOR cb FROM HELD SRC
# STAGE ct (stop 50): the paper's curriculum at one node. Both sides continue from the CONTROL's SRC best at SPEED (control
# search seed CSEED) under bd's settings: the control with its passive exo, the assisted side with its exo driven from
# its own SRC best's profile. So the assisted person starts as the unassisted walker and learns to walk with the exo;
# the control gets the same generations -> runs/trend_ctSRC_VARIANT_SIDE_TAG_sSEED (run_curriculum.sh).
#   run_starts.sh SIDE SPEED SEED SLOPE WEIGHT CLOCK FLOOR ct SRC CSEED
set -euo pipefail
cd "$(dirname "$0")/../../../.."
source artifacts/teacher/tuning/pair_speed_trend/tag.sh
side=$1 speed=$2 seed=${3:-5} slope=${4:--5} weight=${5:-} clock=${6:-thigh} floor=${7:-} stage=${8:-st}
var=$(pair_variant "$weight" "$clock" "$floor")
[ "$clock" = thigh ] || [ "$side" = assist ] || { echo "CLOCK $clock: the assisted side only"; exit 2; }
D=artifacts/teacher/tuning/pair_speed_trend
tag=$(pair_tag "$slope" "$speed") held="" && src_tag=$tag dur=15.0 band=() from=$(echo "${9:-}" | tr -d .)
src_who=${var}${side} src_seed=$seed  # whose node the parameters start from (ct: the control's); the profile is the side's own
case $stage in
  st) prev="" starts="1, 2, 3, 20, 21, 22, 23, 24" sigma=0.08 gens=15 ;;
  rb) prev=st_ starts="1, 2, 3, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32" sigma=0.05 gens=10 ;;
  cf) prev=rb_ starts="1, 2, 3, 20, 21, 22, 23, 24" sigma=0.08 gens=15 src_tag=$(pair_tag "$slope" "$9") held=${10} ;;
  bd) prev=cf${from}_ starts="1, 2, 3, 20, 21, 22, 23, 24" sigma=0.05 gens=12 ;;
  cb) prev=${11}_ starts="1, 2, 3, 20, 21, 22, 23, 24" sigma=0.08 gens=15 src_tag=$(pair_tag "$slope" "$9") held=${10} ;;
  ct) [ -n "${10:-}" ] || { echo "STAGE ct: needs SRC and CSEED"; exit 2; }
      prev=${9}_ starts="1, 2, 3, 20, 21, 22, 23, 24" sigma=0.05 gens=12 src_who=$(pair_variant "$weight" thigh "$floor")noexo src_seed=${10} ;;
  *) echo "STAGE: st, rb, cf, bd, cb or ct"; exit 2 ;;
esac
case $stage in  # the speed band
  bd|cb|ct) [ -n "$floor" ] || { echo "STAGE $stage: needs FLOOR (the ceiling takes its weight)"; exit 2; }
         dur=20.0 band=(--set speed_ceiling_weight="$floor" --set speed_ceiling_tol_mps=0.03) ;;
esac
stage=$stage$from  # cf, bd and cb name their run by FROM, ct by SRC
src=$D/${prev}${src_who}_${src_tag}_s$src_seed profile=$D/${prev}${var}${side}_${src_tag}_s$seed/best.json
held=${held:-$(.venv/bin/python -c "import json, sys; print(json.load(open(sys.argv[1]))['reflex_tuning']['cost_speed_mps'])" \
  "$src/config.json")}
init=$src/best.json
case $side in
  assist) cfg=$(pair_assist_config "$clock"); extra=(--set init_profile="$profile") ;;
  noexo) cfg=config/train/reflex_160_upright_effort_noexo.yaml; extra=() ;;
  *) echo "SIDE: assist or noexo"; exit 2 ;;
esac
.venv/bin/python -m exo_sim reflex-tune --config $cfg --run-dir "runs/trend_${stage}_${var}${side}_${tag}_s$seed" \
  --set init_params="$init" "${extra[@]}" \
  --set "speeds_mps=[$speed]" --set "slopes_deg=[$slope]" --set "seeds=[$starts]" \
  --set duration_s=$dur --set sigma0=$sigma --set cost_speed_mps=$held --set seed="$seed" --set generations=$gens ${weight:+--set speed_weight=$weight} ${floor:+--set speed_floor_weight=$floor} "${band[@]}"
