#!/bin/bash
# Stop 35: speed-accurate, start-robust continuation of one schedule node. The node's own condition
# from 8 start seeds (1-3, 20-24) for 10 s each (falls at 0.8 m/s on -10 deg come after 5 s, which
# stop 27's 5 s runs missed), speed error weighted 60 per m/s instead of 20, so the search buys
# walking from every start first and then speed within 0.1 m/s. Seeds 0, 7 and 8-17 stay held out,
# 40-49 are for selection (select.sh).
# usage: run_node.sh NAME SPEED_MPS SLOPE_DEG INIT_JSON [reflex-tune args...]   -> runs/node_NAME
set -e
cd "$(dirname "$0")/../../../.."
name=$1; speed=$2; slope=$3; init=$4; shift 4
.venv/bin/python -m exo_sim reflex-tune --config config/train/reflex_160_upright_slope_node.yaml --run-dir runs/node_${name} \
  --set "speeds_mps=[$speed]" --set "slopes_deg=[$slope]" --set "seeds=[1, 2, 3, 20, 21, 22, 23, 24]" \
  --set duration_s=10.0 --set speed_weight=60.0 --set init_params=$init --set sigma0=0.1 --set generations=40 "$@"
