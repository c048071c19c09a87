#!/bin/bash
# Stop 40: what the hips' extension limit carries in the level schedule nodes, the 3D walker, and the packaged
# assisted person and its control; output limit_load.txt beside this script.
set -e
cd "$(dirname "$0")/../../../.."
H=artifacts/teacher/tuning/hip_limit
C=config/train/reflex_160_upright_slope_node.yaml
P=".venv/bin/python $H/limit_load.py"
{
  $P artifacts/teacher/tuning/nodes/lv_10/best.json --config $C --speed 1.0
  $P artifacts/teacher/tuning/nodes/v14_s0/best.json --config $C --speed 1.2
  $P artifacts/teacher/tuning/nodes/lv_14/best.json --config $C --speed 1.4
  $P artifacts/teacher/tuning/starts/up16_0_st/best.json --config $C --speed 1.6
  $P artifacts/teacher/tuning/speed_nodes/m5_v16_sp/best.json --config $C --speed 1.6 --slope -5
  $P artifacts/teacher/tuning/body3d/runs/b3d_fresh8_heading_s9_more/mean.json --config config/train/reflex_160_3d_stance.yaml \
    --speed 1.0 --starts 0 7 8 9
} 2>/dev/null > $H/limit_load.txt
