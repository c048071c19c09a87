#!/usr/bin/env bash
# Stop 19: copy the speed-held stage-2 people into artifacts/teacher, compare every assisted search
# against every control (8 held-out starts, 20 s, at the one commanded speed they were tuned at),
# and summarise the spread across pairings. Usage: run.sh uphill|level|level_v08|level_v16
set -euo pipefail
T=artifacts/teacher
case $1 in
  uphill) seeds="5 6 7"; runs=upm_p5; tag=; name=p5_matched; speed=1.6; slope=5.0
          acfg=config/train/reflex_160_upright_assist_thigh.yaml ;;
  level)  seeds="5 6"; runs=lvm; tag=; name=level_matched; speed=1.2; slope=0.0
          acfg=config/train/reflex_160_upright_assist_thigh.yaml ;;
  level_v08) seeds=5; runs=lvm; tag=_v08; name=level_matched_v08; speed=0.8; slope=0.0
          acfg=config/train/reflex_160_upright_assist_thigh.yaml ;;
  level_v16) seeds=5; runs=lvm; tag=_v16; name=level_matched_v16; speed=1.6; slope=0.0
          acfg=config/train/reflex_160_upright_assist_thigh.yaml ;;
  *) echo "usage: $0 uphill|level|level_v08|level_v16"; exit 2 ;;
esac
ncfg=config/train/reflex_160_upright_effort_noexo.yaml
for s in $seeds; do
  cp "runs/${runs}_assist${tag}_s$s/best.json" "$T/reflex_stage2_thigh_assist_${name}_s$s.json"
  cp "runs/${runs}_noexo${tag}_s$s/best.json" "$T/reflex_stage2_noexo_control_${name}_s$s.json"
done
out=artifacts/compare_speed_matched/$1
dirs=()
for a in $seeds; do
  for c in $seeds; do
    python -m exo_sim compare --no-exo "$T/reflex_stage2_noexo_control_${name}_s$c.json" --no-exo-config $ncfg \
      --assisted "$T/reflex_stage2_thigh_assist_${name}_s$a.json" --assisted-config $acfg \
      --out "$out/assisted_s${a}_vs_control_s$c" --set "speeds_mps=[$speed]" --set "slopes_deg=[$slope]" \
      --set 'seeds=[0,1,2,3,4,5,6,7]'
    dirs+=("$out/assisted_s${a}_vs_control_s$c")
  done
done
if [ ${#dirs[@]} -gt 1 ]; then python -m exo_sim compare-spread --runs "${dirs[@]}" --out "$out/spread"; fi
