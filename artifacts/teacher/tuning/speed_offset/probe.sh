#!/bin/bash
# Stop 41: the +5 deg node (up5_v16, tuned at 1.6 m/s commanded) re-centred on 0.8 m/s by speed_cmd_offset,
# from start seeds 40-49, 20 s at 0.8 m/s on +5 deg: from the evaluation's own start (init_speed_fraction 0.8:
# 0.64 m/s) and from 1.5 x 0.8 = 1.2 m/s, near the 1.28 m/s its tuning starts had; the node itself at 1.6 m/s.
# Output: probe.txt beside this script (start seed, walked 20 s, time walked s, mean speed m/s).
set -e
cd "$(dirname "$0")/../../../.."
D=artifacts/teacher/tuning/speed_offset; CFG=config/train/reflex_160_upright_slope_node.yaml
mkdir -p runs/probe_offset
sed 's/init_speed_fraction: 0.8/init_speed_fraction: 1.5/' $CFG > runs/probe_offset/start_fast.yaml
grep -q "init_speed_fraction: 1.5" runs/probe_offset/start_fast.yaml
ev() { .venv/bin/python -m exo_sim evaluate --reflex $1 --config $2 --speeds $3 --slopes 5 --start-seeds $(seq 40 49) \
  --duration 20 --out runs/probe_offset/$4 > /dev/null 2>&1; echo "# $4: $1 at $3 m/s, +5 deg, config $2"; cut -d, -f1,4-6 runs/probe_offset/$4/starts.csv; }
{ ev artifacts/teacher/tuning/nodes/up5_v16/best.json $CFG 1.6 node_at_1.6
  ev artifacts/teacher/tuning/nodes/up5_v16/best.json $CFG 0.8 node_at_0.8
  ev $D/init_up5_v08.json $CFG 0.8 offset_at_0.8
  ev $D/init_up5_v08.json runs/probe_offset/start_fast.yaml 0.8 offset_at_0.8_fast_start; } > $D/probe.txt
