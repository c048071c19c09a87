#!/bin/bash
# Stop 40: the searches' walkers from held-out starts, with what the hips' extension stop carries (limit_load.py).
# 1.4 m/s level, starts 40-49, 20 s: the parent lv_14 and the final best of each continuation (the widened-stop
# run's last walker that walked all its tuning runs, ready.json, at the stop it walked under). 3D: the 24 held-out
# starts of stop 39 (0, 7-29), 20 s, each search's final mean.json, then the same walkers with the stop moved by
# 0.004 deg (to 20.0) as a measure of what chance alone moves, and paired_starts.py over them.
set -e
cd "$(dirname "$0")/../../../.."
H=artifacts/teacher/tuning/hip_limit
R=$H/runs
P=".venv/bin/python $H/limit_load.py"
C=config/train/reflex_160_upright_slope_node.yaml
S3=config/train/reflex_160_3d_stance.yaml
ST40="$(seq -s ' ' 40 49)"
$P artifacts/teacher/tuning/nodes/lv_14/best.json --config $C --speed 1.4 --starts $ST40 2>/dev/null > $H/probe_lv14_parent.txt
$P $R/node_lv14_hipext/ready.json --config $C --speed 1.4 --starts $ST40 \
  --limit-deg "$(.venv/bin/python -c "import json; print(json.load(open('$R/node_lv14_hipext/ready.json'))['aids'][-1])")" \
  2>/dev/null > $H/probe_lv14_hipext_ready.txt
for run in lv14_ctrl lv14_limitcost lv14_gate lv14_gate_on; do
  $P $R/node_$run/best.json --config $C --speed 1.4 --starts $ST40 2>/dev/null > $H/probe_$run.txt
done
ST="0 $(seq -s ' ' 7 29)"
for run in b3d_gate b3d_gate_on; do
  $P $R/$run/mean.json --config $S3 --speed 1.0 --starts $ST 2>/dev/null > $H/probe24_$run.txt
  $P $R/$run/mean.json --config $S3 --speed 1.0 --starts $ST --limit-deg 20 2>/dev/null > $H/probe24_${run}_limit20.txt
done
B=artifacts/teacher/tuning/body3d
{
  .venv/bin/python $B/paired_starts.py $H/limit_sweep_3d_own.txt $H/probe24_b3d_gate.txt $H/probe24_b3d_gate_on.txt
  .venv/bin/python $B/paired_starts.py $H/probe24_b3d_gate.txt $H/probe24_b3d_gate_on.txt
  .venv/bin/python $B/paired_starts.py $H/probe24_b3d_gate_limit20.txt $H/probe24_b3d_gate_on_limit20.txt
  .venv/bin/python $B/paired_starts.py $H/probe24_b3d_gate.txt $H/probe24_b3d_gate_limit20.txt
  .venv/bin/python $B/paired_starts.py $H/probe24_b3d_gate_on.txt $H/probe24_b3d_gate_on_limit20.txt
} > $H/probe24_paired.txt
