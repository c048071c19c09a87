#!/usr/bin/env bash
# Stop 20: each speed-held assisted person against itself with the exo worn and unpowered
# (compare --no-exo-unpowered), at the condition it was tuned at, 8 held-out starts, 20 s: the change
# the exo's torque makes on the gait that person adapted, apart from how that gait differs from a
# control's. Usage: run_unpowered.sh uphill|level|level_v08|level_v16 (the sets of run.sh)
set -euo pipefail
T=artifacts/teacher
case $1 in
  uphill) seeds="5 6 7"; name=p5_matched; speed=1.6; slope=5.0 ;;
  level)  seeds="5 6"; name=level_matched; speed=1.2; slope=0.0 ;;
  level_v08) seeds=5; name=level_matched_v08; speed=0.8; slope=0.0 ;;
  level_v16) seeds=5; name=level_matched_v16; speed=1.6; slope=0.0 ;;
  *) echo "usage: $0 uphill|level|level_v08|level_v16"; exit 2 ;;
esac
acfg=config/train/reflex_160_upright_assist_thigh.yaml
for a in $seeds; do
  person="$T/reflex_stage2_thigh_assist_${name}_s$a.json"
  python -m exo_sim compare --no-exo "$person" --no-exo-config $acfg --no-exo-unpowered \
    --assisted "$person" --assisted-config $acfg --out "artifacts/compare_speed_matched/$1/unpowered_s$a" \
    --set "speeds_mps=[$speed]" --set "slopes_deg=[$slope]" --set 'seeds=[0,1,2,3,4,5,6,7]'
done
