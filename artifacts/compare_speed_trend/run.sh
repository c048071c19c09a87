#!/usr/bin/env bash
# Stop 28: the -5 deg speed-held pairs of teacher/tuning/pair_speed_trend/run.sh, compared at the
# commanded speed each pair was tuned at (8 starts, 20 s, as every compare_speed_matched table), each
# assisted person also against itself unpowered, and the pairs merged into one table across speed.
# VARIANT st (stop 30): the pairs continued from eight starts for 15 s (pair_speed_trend/run_starts.sh).
#   run.sh ["SPEEDS"] [SEED] [VARIANT] [SLOPE] [CLOCK]   (default "0.8 1.2 1.6", 5, "" = the stop-28 pairs, -5)
# SLOPE 0 (stop 42): the level pairs (pair_speed_trend/run.sh SIDE SPEED SEED 0), people
# ..._level_trend_VARIANT_lvNN_sSEED.json, tables lvNN_* and VARIANT_level_by_speed_sSEED.
set -euo pipefail
cd "$(dirname "$0")/../.."
source artifacts/teacher/tuning/pair_speed_trend/tag.sh
speeds=${1:-"0.8 1.2 1.6"} seed=${2:-5} pre=${3:+${3}_} slope=${4:--5} clock=${5:-thigh}
where=$(pair_where "$slope")
# CLOCK forward or settled (stop 45): the assisted people tuned with that thigh clock (pair_speed_trend/run_pair.sh
# assist ... CLOCK; prefix ${pre}fwd_ or ${pre}set_, tag.sh) against the same controls (prefix ${pre}); tables so named.
apre=$pre$(pair_clock "$clock") acfg=$(pair_assist_config "$clock")
T=artifacts/teacher out=artifacts/compare_speed_trend
ncfg=config/train/reflex_160_upright_effort_noexo.yaml
dirs=()
for v in $speeds; do
  tag=$(pair_tag "$slope" "$v")
  person=$T/reflex_stage2_thigh_assist_${where}_trend_${apre}${tag}_s$seed.json control=$T/reflex_stage2_noexo_control_${where}_trend_${pre}${tag}_s$seed.json
  # Fresh tuning runs (pair_speed_trend/run*.sh write to the ignored runs/) replace the committed people.
  if [ -f "runs/trend_${apre}assist_${tag}_s$seed/best.json" ]; then cp "runs/trend_${apre}assist_${tag}_s$seed/best.json" "$person"; fi
  if [ -f "runs/trend_${pre}noexo_${tag}_s$seed/best.json" ]; then cp "runs/trend_${pre}noexo_${tag}_s$seed/best.json" "$control"; fi
  grid=(--set "speeds_mps=[$v]" --set "slopes_deg=[$slope]" --set 'seeds=[0,1,2,3,4,5,6,7]')
  .venv/bin/python -m exo_sim compare --no-exo "$control" --no-exo-config $ncfg --assisted "$person" --assisted-config $acfg \
    --out "$out/${apre}${tag}_assisted_s${seed}_vs_control_s$seed" "${grid[@]}"
  .venv/bin/python -m exo_sim compare --no-exo "$person" --no-exo-config $acfg --no-exo-unpowered \
    --assisted "$person" --assisted-config $acfg --out "$out/${apre}${tag}_unpowered_s$seed" "${grid[@]}"
  dirs+=("$out/${apre}${tag}_assisted_s${seed}_vs_control_s$seed")
done
.venv/bin/python -m exo_sim compare-merge --runs "${dirs[@]}" --out "$out/${apre}$([ "$slope" = 0 ] && echo level_)by_speed_s$seed"
