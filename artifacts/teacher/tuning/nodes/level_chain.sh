#!/bin/bash
# As run (stop 18). runs/node_X/best.json here = the committed artifacts/teacher/tuning/nodes/X/best.json (byte-identical).
# Level row continuation from up16_0 (the faster basin reached from downhill), down in commanded speed.
set -e
cd /work/main
prev=runs/node_up16_0/best.json
for v in 1.4 1.2 1.0 0.8; do
  name=lv_${v/./}
  .venv/bin/python -m exo_sim reflex-tune --config config/train/reflex_160_upright_slope_node.yaml --run-dir runs/node_$name \
    --set "speeds_mps=[$v]" --set 'slopes_deg=[0.0]' --set 'seeds=[1, 2, 3]' --set duration_s=10.0 \
    --set init_params=$prev --set generations=20 > /work/runs_$name.log 2>&1
  prev=runs/node_$name/best.json
done
