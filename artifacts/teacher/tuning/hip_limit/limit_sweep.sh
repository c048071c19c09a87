#!/bin/bash
# Stop 40: the same walkers with the hips' extension limit moved by hand (not re-tuned): the 1.4 m/s level
# node from starts 40-43, and the best 3D walker (stop 39) from the 24 held-out starts; outputs beside this
# script: limit_sweep_lv14.txt, limit_sweep_3d_{own,20,22,25}.txt and limit_sweep_3d_paired.txt. "own" is
# myo-sim's 0.349 rad (19.996 deg); 20 deg differs from it by 0.004 deg, which shows what chance alone moves.
set -e
cd "$(dirname "$0")/../../../.."
H=artifacts/teacher/tuning/hip_limit
P=".venv/bin/python $H/limit_load.py"
for limit in own 20 21 22 24 26 30; do
  $P artifacts/teacher/tuning/nodes/lv_14/best.json --config config/train/reflex_160_upright_slope_node.yaml --speed 1.4 \
    $([ $limit = own ] || echo --limit-deg $limit) 2>/dev/null
done > $H/limit_sweep_lv14.txt
ST="0 $(seq -s ' ' 7 29)"
for limit in own 20 22 25; do
  $P artifacts/teacher/tuning/body3d/runs/b3d_fresh8_heading_s9_more/mean.json --config config/train/reflex_160_3d_stance.yaml \
    --speed 1.0 --starts $ST $([ $limit = own ] || echo --limit-deg $limit) 2>/dev/null > $H/limit_sweep_3d_$limit.txt
done
# First: limit_load.py at the model's own stop against stop 39's probe_frontal.py output (the same walks, start by start).
{ .venv/bin/python artifacts/teacher/tuning/body3d/paired_starts.py \
    artifacts/teacher/tuning/body3d/probe24_b3d_fresh8_heading_s9_more_mean.txt $H/limit_sweep_3d_own.txt
  .venv/bin/python artifacts/teacher/tuning/body3d/paired_starts.py $H/limit_sweep_3d_own.txt $H/limit_sweep_3d_20.txt \
    $H/limit_sweep_3d_22.txt $H/limit_sweep_3d_25.txt; } > $H/limit_sweep_3d_paired.txt
