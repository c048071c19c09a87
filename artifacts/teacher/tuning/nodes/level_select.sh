#!/bin/bash
# Level-row selection on the tuning start seeds (1-3) only; seed 0 and 7 stay held out.
cd /work/main
declare -A C=( [upright]=artifacts/teacher/reflex_upright.json [v14_s0]=artifacts/teacher/tuning/nodes/v14_s0/best.json [up16_0]=artifacts/teacher/tuning/nodes/up16_0/best.json [lv_08]=runs/node_lv_08/best.json [lv_10]=runs/node_lv_10/best.json [lv_12]=runs/node_lv_12/best.json [lv_14]=runs/node_lv_14/best.json )
for name in "${!C[@]}"; do for s in 1 2 3; do
  .venv/bin/python -m exo_sim evaluate --reflex ${C[$name]} --config config/train/reflex_160_upright_slope_node.yaml --out runs/levelsel/${name}_s$s --slopes 0 --seed $s --duration 20 > /dev/null 2>&1
done; done
