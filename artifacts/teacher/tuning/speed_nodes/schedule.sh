#!/bin/bash
# Stop 35: reflex_schedule_speed.json = reflex_schedule_starts.json with the nodes select.sh chose
# replaced, and its held-out evaluations: start seeds 8-17 over the whole grid, 20 s (the same as
# ../../../starts_reflex_schedule_starts_grid20/ for the parent schedule), and seeds 0 and 7.
# Stop 41 names the parent and the new schedule (-p, -o); the defaults are stop 35's.
# usage: schedule.sh [-p PARENT_JSON] [-o NAME] "SPEED:SLOPE=FILE" ...   (each replaces the parent's node at that grid point)
#   -> artifacts/teacher/NAME.json, eval_NAME/, eval_NAME_seed7/, starts_NAME_grid20/
set -e
cd "$(dirname "$0")/../../../.."
T=artifacts/teacher; CFG=config/train/reflex_160_upright_slope_node.yaml
parent=$T/reflex_schedule_starts.json; name=reflex_schedule_speed
while getopts "p:o:" opt; do
  case $opt in p) parent=$OPTARG ;; o) name=$OPTARG ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
mapfile -t args < <(.venv/bin/python - "$parent" "$@" <<'PY'
import json, shlex, sys
cmd = shlex.split(json.load(open(sys.argv[1]))["command"])
nodes = [cmd[i + 1] for i, a in enumerate(cmd) if a == "--node"]
new = dict(a.split("=", 1) for a in sys.argv[2:])
keys = [n.split("=", 1)[0] for n in nodes]
assert set(new) <= set(keys), f"no such node in the parent schedule: {set(new) - set(keys)}"
for n in nodes:
    k = n.split("=", 1)[0]
    print("--node"); print(f"{k}={new.get(k, n.split('=', 1)[1])}")
PY
)
.venv/bin/python -m exo_sim reflex-schedule "${args[@]}" --out $T/$name.json
ev() { .venv/bin/python -m exo_sim evaluate --config $CFG --reflex $T/$name.json "$@" > /dev/null 2>&1; }
ev --out $T/eval_$name --seed 0 --duration 20 &
ev --out $T/eval_${name}_seed7 --seed 7 --duration 20
wait
ev --out $T/starts_${name}_grid20 --start-seeds $(seq 8 17) --duration 20
