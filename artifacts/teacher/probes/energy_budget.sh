#!/usr/bin/env bash
# Stop 26: the energy budget of the level and downhill nodes (output: energy_budget.txt).
set -euo pipefail  # (each walk prints its lines; run as: bash energy_budget.sh 2>&1 | grep -v INFO)
P=artifacts/teacher/probes/energy_budget.py C=config/train/reflex_160_upright_slope_node.yaml N=artifacts/teacher/tuning/nodes
python $P $N/v14_s0/best.json $C 1.2 0 12
EQ_SOLREF_S=0.005 python $P $N/v14_s0/best.json $C 1.2 0 12   # what-if: joint couplings 4x stiffer (same parameters)
python $P artifacts/teacher/reflex_upright.json $C 0.8 0 12
python $P $N/up16_0/best.json $C 1.6 0 12
python $P $N/slope_m5c/best.json $C 1.2 -5 12
python $P $N/m5_v14/best.json $C 1.4 -5 12
python $P $N/m10_v16/best.json $C 1.6 -10 12
python $P artifacts/teacher/tuning/calf/calf100/best.json config/train/reflex_160_calf_node.yaml 1.2 0 12
python $P artifacts/teacher/reflex_stage2_thigh_assist.json config/train/reflex_160_upright_assist_thigh.yaml 1.2 0 12
# what-if: physics at 1/1280 s (substeps 32), the couplings' time constant at MuJoCo's 0.02 s, then at 0.0032 s
mkdir -p runs && sed 's/substeps: 16/substeps: 32/' $C > runs/node_dt1280.yaml
python $P $N/v14_s0/best.json runs/node_dt1280.yaml 1.2 0 12
EQ_SOLREF_S=0.0032 python $P $N/v14_s0/best.json runs/node_dt1280.yaml 1.2 0 12
