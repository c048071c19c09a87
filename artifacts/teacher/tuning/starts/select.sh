#!/bin/bash
# Output of the selection (stop 27) is select.txt beside this script.
# Selection of a node between its schedule parent and its start-robust continuation (stop 27), on
# start seeds 40-49 only (neither tuning nor held out), 20 s at the node's condition.
# Rule, fixed before any held-out run: the candidate that walks from more of the ten starts; on a
# tie, the lower mean |speed error| of its walks.
# usage: select.sh SPEED_MPS SLOPE_DEG NAME=FILE NAME=FILE ...
set -e
cd "$(dirname "$0")/../../../.."
speed=$1; slope=$2; shift 2
for spec in "$@"; do
  name=${spec%%=*}; file=${spec#*=}
  .venv/bin/python -m exo_sim evaluate --reflex "$file" --config config/train/reflex_160_upright_slope_node.yaml \
    --out runs/select_${name} --speeds $speed --slopes $slope --start-seeds $(seq 40 49) --duration 20 > /dev/null 2>&1
  python3 - "$name" "runs/select_${name}/starts.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[2])))
ok = [r for r in rows if r["success"] == "True"]
speeds = " ".join("%.2f" % float(r["mean_speed_mps"]) for r in rows)
err = sum(float(r["speed_error_mps"]) for r in ok) / len(ok) if ok else float("nan")
print(f"{sys.argv[1]:16s} walks from {len(ok)}/{len(rows)} starts; mean |speed error| of the walks {err:.3f} m/s; "
      f"speeds {speeds}")
PY
done
