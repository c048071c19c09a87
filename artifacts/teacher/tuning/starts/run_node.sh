#!/bin/bash
# Start-robust continuation of one schedule node (stop 27): the node's own condition from 16 start
# seeds (1-3, 20-32), 5 s each, so a fall in the first steps from any of them dominates the cost.
# Seeds 0, 7 and 8-17 stay held out for evaluation, 40-49 are for selection (select.sh).
# usage: run_node.sh NAME SPEED_MPS SLOPE_DEG INIT_JSON [reflex-tune args...]
set -e
cd "$(dirname "$0")/../../../.."
name=$1; speed=$2; slope=$3; init=$4; shift 4
.venv/bin/python -m exo_sim reflex-tune --config config/train/reflex_160_upright_slope_node.yaml --run-dir runs/node_${name} \
  --set "speeds_mps=[$speed]" --set "slopes_deg=[$slope]" --set "seeds=[1, 2, 3, $(seq -s ', ' 20 32)]" \
  --set duration_s=5.0 --set init_params=$init --set sigma0=0.1 --set generations=25 "$@"
