#!/bin/bash
# Stop 41: a node re-centred on another commanded speed by speed_cmd_offset walks as before only from
# the start speed it knew: the env starts the body at init_speed_fraction x the commanded speed, and the
# +5 deg node falls back within 1 s from 0.64 m/s (0.8 m/s commanded) where it climbs from 1.28. So each
# stage continues the last one (run_node.sh's speed-accurate recipe, speed_cmd_offset searched) from a
# slower start, down to the evaluation's own 0.8.
# usage: start_chain.sh NAME SPEED_MPS SLOPE_DEG INIT_JSON FRACTION:GENERATIONS ...   -> runs/node_NAME_f<FRACTION>
set -e
cd "$(dirname "$0")/../../../.."
name=$1; speed=$2; slope=$3; init=$4; shift 4
for stage in "$@"; do
  frac=${stage%%:*}; gens=${stage#*:}
  bash artifacts/teacher/tuning/speed_nodes/run_node.sh ${name}_f$frac $speed $slope $init \
    --set speed_cmd_offset=true --set env.init_speed_fraction=$frac --set generations=$gens
  init=runs/node_${name}_f$frac/best.json
done
