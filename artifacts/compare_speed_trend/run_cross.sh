#!/usr/bin/env bash
# Stop 46 (issue 6): every assisted search of one pair condition against every control search of it.
# The control seeds differ among themselves by up to 1 % activation and 7 % positive power against the
# same assisted person (stop 43: st_w100_lv12_assisted_s6_vs_control_s5/s6/s7), so one paired control
# cannot tell a search's saving from its control's luck. Compare seeds 0-7, 20 s (as run.sh); each cell
# is skipped where its folder exists (run.sh writes the same-seed ones), then cross_table.py tabulates.
#   run_cross.sh SPEED SLOPE VARIANT CLOCK "ASSISTED_SEEDS" "CONTROL_SEEDS" [FIRST]  -> ..._assisted_sA_vs_control_sC/,
#   cross_PREFIX.md, PREFIX the compare folders' (VARIANT as run.sh's, e.g. st_w100; CLOCK thigh, forward or settled;
#   st_w100 settled at 1.2 m/s level -> cross_st_w100_set_lv12.md)
# FIRST (stop 46, default 0): compare seeds FIRST to FIRST+7 instead, folders and table suffixed _startsFIRSTtoLAST
# (40-47 for selecting a search on starts none of the reported tables use).
# CVARIANT (stop 47, default VARIANT): the controls of another variant, e.g. speed-floor searches (st_w100_fl400)
# against the st_w100 controls; folders ..._vs_control_CVARIANT_sC, table cross_PREFIX_vs_CVARIANT.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source artifacts/teacher/tuning/pair_speed_trend/tag.sh
speed=$1 slope=$2 pre=${3:+${3}_} clock=$4 aseeds=$5 cseeds=$6 first=${7:-0} cvariant=${8:-}
cpre=${cvariant:+${cvariant}_} cpre=${cpre:-$pre} cname=${cvariant:+${cvariant}_}
last=$((first + 7)) suffix=$([ "$first" = 0 ] || echo "_starts${first}to$last")
where=$(pair_where "$slope") tag=$(pair_tag "$slope" "$speed")
apre=$pre$(pair_clock "$clock") acfg=$(pair_assist_config "$clock")
T=artifacts/teacher out=artifacts/compare_speed_trend
dirs=()
for c in $cseeds; do  # likewise a fresh control run (stop 47: the floor control was copied by hand)
  if [ -f "runs/trend_${cpre}noexo_${tag}_s$c/best.json" ]; then
    cp "runs/trend_${cpre}noexo_${tag}_s$c/best.json" "$T/reflex_stage2_noexo_control_${where}_trend_${cpre}${tag}_s$c.json"
  fi
done
for a in $aseeds; do
  person=$T/reflex_stage2_thigh_assist_${where}_trend_${apre}${tag}_s$a.json
  # A fresh tuning run replaces the committed person, as in run.sh.
  if [ -f "runs/trend_${apre}assist_${tag}_s$a/best.json" ]; then cp "runs/trend_${apre}assist_${tag}_s$a/best.json" "$person"; fi
  for c in $cseeds; do
    d=$out/${apre}${tag}_assisted_s${a}_vs_control_${cname}s$c$suffix
    dirs+=("$d")
    [ -f "$d/comparison.csv" ] && continue
    .venv/bin/python -m exo_sim compare --no-exo "$T/reflex_stage2_noexo_control_${where}_trend_${cpre}${tag}_s$c.json" \
      --no-exo-config config/train/reflex_160_upright_effort_noexo.yaml --assisted "$person" --assisted-config "$acfg" \
      --out "$d" --set "speeds_mps=[$speed]" --set "slopes_deg=[$slope]" --set "seeds=[$(seq -s , "$first" "$last")]"
  done
done
table=$out/cross_${apre}${tag}${cvariant:+_vs_$cvariant}$suffix.md
.venv/bin/python $out/cross_table.py --starts "$first-$last" "${dirs[@]}" > "$table"
cat "$table"
