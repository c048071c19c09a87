#!/usr/bin/env bash
# Stop 30: the pairs of run.sh from ten further held-out starts (compare seeds 8-17, 20 s), merged
# across speed; the committed people only (run.sh copies fresh tuning runs in first).
#   run_more_starts.sh ["SPEEDS"] [SEED] [VARIANT] [SLOPE] [CLOCK]   (default "0.8 1.2 1.6", 5, "", -5; SLOPE 0 as in run.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
source artifacts/teacher/tuning/pair_speed_trend/tag.sh
speeds=${1:-"0.8 1.2 1.6"} seed=${2:-5} pre=${3:+${3}_} slope=${4:--5} clock=${5:-thigh}
where=$(pair_where "$slope")
# CLOCK forward or settled (stop 45): the assisted people tuned with that thigh clock (pair_speed_trend/run_pair.sh
# assist ... CLOCK; prefix ${pre}fwd_ or ${pre}set_, tag.sh) against the same controls (prefix ${pre}); tables so named.
apre=$pre$(pair_clock "$clock") acfg=$(pair_assist_config "$clock")
T=artifacts/teacher out=artifacts/compare_speed_trend
dirs=()
for v in $speeds; do
  tag=$(pair_tag "$slope" "$v")
  .venv/bin/python -m exo_sim compare \
    --no-exo $T/reflex_stage2_noexo_control_${where}_trend_${pre}${tag}_s$seed.json --no-exo-config config/train/reflex_160_upright_effort_noexo.yaml \
    --assisted $T/reflex_stage2_thigh_assist_${where}_trend_${apre}${tag}_s$seed.json --assisted-config $acfg \
    --out "$out/${apre}${tag}_assisted_s${seed}_vs_control_s${seed}_starts8to17" \
    --set "speeds_mps=[$v]" --set "slopes_deg=[$slope]" --set "seeds=[$(seq -s , 8 17)]"
  dirs+=("$out/${apre}${tag}_assisted_s${seed}_vs_control_s${seed}_starts8to17")
done
.venv/bin/python -m exo_sim compare-merge --runs "${dirs[@]}" --out "$out/${apre}$([ "$slope" = 0 ] && echo level_)by_speed_s${seed}_starts8to17"
