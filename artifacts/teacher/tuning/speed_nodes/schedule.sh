#!/bin/bash
# Stop 35: reflex_schedule_speed.json = reflex_schedule_starts.json with the nodes select.sh chose
# replaced, and its held-out evaluations: start seeds 8-17 over the whole grid, 20 s (the same as
# ../../../starts_reflex_schedule_starts_grid20/ for the parent schedule), and seeds 0 and 7.
# usage: schedule.sh "SPEED:SLOPE=FILE" ...   (each replaces the parent's node at that grid point)
set -e
cd "$(dirname "$0")/../../../.."
T=artifacts/teacher; CFG=config/train/reflex_160_upright_slope_node.yaml
mapfile -t args < <(.venv/bin/python - "$@" <<'PY'
import json, shlex, sys
cmd = shlex.split(json.load(open("artifacts/teacher/reflex_schedule_starts.json"))["command"])
nodes = [cmd[i + 1] for i, a in enumerate(cmd) if a == "--node"]
new = dict(a.split("=", 1) for a in sys.argv[1:])
keys = [n.split("=", 1)[0] for n in nodes]
assert set(new) <= set(keys), f"no such node in the parent schedule: {set(new) - set(keys)}"
for n in nodes:
    k = n.split("=", 1)[0]
    print("--node"); print(f"{k}={new.get(k, n.split('=', 1)[1])}")
PY
)
.venv/bin/python -m exo_sim reflex-schedule "${args[@]}" --out $T/reflex_schedule_speed.json
ev() { .venv/bin/python -m exo_sim evaluate --config $CFG --reflex $T/reflex_schedule_speed.json "$@" > /dev/null 2>&1; }
ev --out $T/eval_reflex_schedule_speed --seed 0 --duration 20 &
ev --out $T/eval_reflex_schedule_speed_seed7 --seed 7 --duration 20
wait
ev --out $T/starts_reflex_schedule_speed_grid20 --start-seeds $(seq 8 17) --duration 20
