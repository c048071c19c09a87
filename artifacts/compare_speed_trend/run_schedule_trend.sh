#!/usr/bin/env bash
# Stop 49 (issue 6): the trend with speed from one search per side. The level speed nodes of one assisted search
# (each continued from the next faster node and held to a speed band on both sides alike: pair_speed_trend/
# run_continue.sh, run_band.sh) and those of one control search become one schedule each; both walk at every
# speed of SPEEDS (the nodes and between them), compare seeds FIRST to FIRST+7, 20 s, two processes, merged.
#   run_schedule_trend.sh OUT "ASSISTED_NODES" "CONTROL_NODES" "SPEEDS" [FIRST, default 0]
#     NODES: SPEED=best.json ... (level); -> OUT/{assisted,control}_schedule.json, OUT/vSPEED[_startsF-L]/, OUT/merged[...]/
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$1 anodes=$2 cnodes=$3 speeds=$4 first=${5:-0}
last=$((first + 7)) suffix=$([ "$first" = 0 ] || echo "_starts${first}to$last")
mkdir -p "$out"
schedule() {  # schedule OUT_FILE NODES...
  local file=$1 args=() && shift
  for n in "$@"; do args+=(--node "${n%%=*}:0=${n#*=}"); done
  .venv/bin/python -m exo_sim reflex-schedule "${args[@]}" --out "$file"
}
[ -f "$out/assisted_schedule.json" ] || schedule "$out/assisted_schedule.json" $anodes
[ -f "$out/control_schedule.json" ] || schedule "$out/control_schedule.json" $cnodes
walk() {  # one process: these speeds in turn, each folder skipped where it exists
  for v in "$@"; do
    d=$out/v$(echo "$v" | tr -d .)$suffix
    [ -f "$d/comparison.csv" ] && continue
    .venv/bin/python -m exo_sim compare --no-exo "$out/control_schedule.json" \
      --no-exo-config config/train/reflex_160_upright_effort_noexo.yaml --assisted "$out/assisted_schedule.json" \
      --assisted-config config/train/reflex_160_upright_assist_thigh_settled.yaml --out "$d" \
      --set "speeds_mps=[$v]" --set "slopes_deg=[0]" --set "seeds=[$(seq -s , "$first" "$last")]" > /dev/null
  done
}
read -ra all <<< "$speeds"
half=$(( (${#all[@]} + 1) / 2 ))
walk "${all[@]:0:$half}" & first_half=$!
walk "${all[@]:$half}"
wait $first_half
dirs=() && for v in "${all[@]}"; do dirs+=("$out/v$(echo "$v" | tr -d .)$suffix"); done
.venv/bin/python -m exo_sim compare-merge --runs "${dirs[@]}" --out "$out/merged$suffix"
