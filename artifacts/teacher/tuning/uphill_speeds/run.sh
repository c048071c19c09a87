#!/usr/bin/env bash
# +5 deg at lower commanded speeds (stop 19): the speed curriculum carries the up5_v16 gait (1.6 m/s
# commanded) down 0.2 m/s per stage in 0.05 m/s steps, each stage from the previous stage's best.
# A stage runs 15 generations, resumed 15 at a time (at most 3 times) while its best is not yet at
# the stage's speed; a stage that still is not ends the chain.
# Usage: run.sh [FIRST_SPEED PREVIOUS_BEST]  (default: 1.4 from the up5_v16 node)
# As run: the 1.4 stage went 15 generations here, then one hand resume of 30 (`--resume --generations 30`);
# the chain went on from 1.2 with `run.sh 1.2 runs/up5_spd14/best.json`.
set -euo pipefail
first=${1:-1.4}
prev=${2:-artifacts/teacher/tuning/nodes/up5_v16/best.json}
offset_left() { python -c "import json, sys; sys.exit(0 if json.load(open('$1'))['aids'][-1] != 0.0 else 1)"; }
for v in 1.4 1.2 1.0 0.8; do
  if python -c "import sys; sys.exit(0 if $v > $first else 1)"; then continue; fi
  run=runs/up5_spd$(echo "$v" | tr -d .)
  args=(--config config/train/reflex_160_upright_slope_node.yaml --run-dir "$run"
        --set "speeds_mps=[$v]" --set 'slopes_deg=[5.0]' --set 'seeds=[1, 2, 3]' --set duration_s=10.0
        --set stall_fraction=0.3 --set sigma0=0.1 --set speed_offset_start_mps=0.2 --set speed_offset_step_mps=0.05
        --set init_params="$prev" --set generations=15)
  python -m exo_sim reflex-tune "${args[@]}"
  for _ in 1 2 3; do
    offset_left "$run/best.json" || break
    python -m exo_sim reflex-tune "${args[@]}" --resume --generations 15
  done
  if offset_left "$run/best.json"; then echo "$run: best not at $v m/s; chain ends"; exit 1; fi
  prev=$run/best.json
done
