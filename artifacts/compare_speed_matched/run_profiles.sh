#!/usr/bin/env bash
# Stop 20: the level assisted searches started from another profile (tuning/pair_speed_matched/
# run_level_profile.sh, runs/lvp_TAG_sSEED) against the stop-19 level controls (seeds 5 and 6, held
# to the same 0.85 m/s at 1.2 m/s commanded), and each against itself unpowered; 8 held-out starts, 20 s.
#   run_profiles.sh TAG "SEEDS"    -> artifacts/compare_speed_matched/level_TAG/
# Another speed: SPEED=0.8 CTAG=_v08 CONTROLS=5 (commanded speed, the controls' file tag and seeds;
# default 1.2, none, "5 6").
# Stop 22, +5 deg (tuning/pair_speed_matched/run_uphill_profile.sh, runs/upp_TAG_sSEED, against the
# stop-19 +5 deg controls):
#   SPEED=1.6 SLOPE=5.0 WHERE=uphill CONTROLS="5 6 7" run_profiles.sh TAG "SEEDS"  -> artifacts/compare_speed_matched/uphill_TAG/
set -euo pipefail
tag=$1 seeds=${2:-5} speed=${SPEED:-1.2} ctag=${CTAG:-} controls=${CONTROLS:-"5 6"} slope=${SLOPE:-0.0} where=${WHERE:-level}
case $where in
  level) name=level_matched runs=lvp ;;
  uphill) name=p5_matched runs=upp ;;
  *) echo "WHERE: level or uphill"; exit 2 ;;
esac
T=artifacts/teacher out=artifacts/compare_speed_matched/${where}_$tag
acfg=config/train/reflex_160_upright_assist_thigh.yaml ncfg=config/train/reflex_160_upright_effort_noexo.yaml
grid=(--set "speeds_mps=[$speed]" --set "slopes_deg=[$slope]" --set 'seeds=[0,1,2,3,4,5,6,7]')
dirs=()
for a in $seeds; do
  person="$T/reflex_stage2_thigh_assist_${name}_${tag}_s$a.json"
  cp "runs/${runs}_${tag}_s$a/best.json" "$person"
  for c in $controls; do
    python -m exo_sim compare --no-exo "$T/reflex_stage2_noexo_control_${name}${ctag}_s$c.json" --no-exo-config $ncfg \
      --assisted "$person" --assisted-config $acfg --out "$out/assisted_s${a}_vs_control_s$c" "${grid[@]}"
    dirs+=("$out/assisted_s${a}_vs_control_s$c")
  done
  python -m exo_sim compare --no-exo "$person" --no-exo-config $acfg --no-exo-unpowered \
    --assisted "$person" --assisted-config $acfg --out "$out/unpowered_s$a" "${grid[@]}"
done
python -m exo_sim compare-spread --runs "${dirs[@]}" --out "$out/spread"
