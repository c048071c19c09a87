#!/usr/bin/env bash
# Stop 26: continuation in the body from the 1.2 m/s level node to stiff joint couplings
# (body.coupling_timeconst_s 0.0032 s; physics at 1/1280 s, substeps 32), which lose a third of
# what myo-sim's soft ones do. Into runs/stiff_v12; resume by adding --resume.
set -euo pipefail
body=(--set env.substeps=32 --set env.body.coupling_timeconst_s=0.0032) dir=runs/stiff_v12
if [[ -n "${SOFT:-}" ]]; then body=() dir=runs/soft_v12; fi
python -m exo_sim reflex-tune --config config/train/reflex_160_upright_slope_node.yaml --run-dir $dir \
  --set 'speeds_mps=[1.2]' --set 'slopes_deg=[0.0]' --set 'seeds=[1, 2, 3]' --set duration_s=10.0 \
  "${body[@]}" \
  --set init_params=artifacts/teacher/tuning/nodes/v14_s0/best.json --set generations=30 "$@"
# Its control, the same search on myo-sim's couplings at the usual 1/640 s (into runs/soft_v12):
#   SOFT=1 bash run_stiff.sh
