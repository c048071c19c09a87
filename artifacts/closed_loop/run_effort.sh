#!/usr/bin/env bash
# Closed-loop effort runs, one per bridge seed: TEACHER (the person's muscles) with STUDENT in the
# policy node, through the safety node, against CONTROL (the no-exo person wearing the unpowered exo)
# through the same launch, seed and 20 s; extra options go to `hip-exo closed-loop` as given
# (e.g. --unpowered, --speeds 1.2 1.6 --slopes -5). Then the table over seeds by summarise_effort.py.
#   run_effort.sh TEACHER CONTROL STUDENT OUT "SEEDS" [closed-loop options...]
#   -> OUT/seedS/closed_loop.{json,csv,md}, OUT/summary.md
set -euo pipefail
cd "$(dirname "$0")/../.."
teacher=$1 control=$2 student=$3 out=$4 seeds=$5
shift 5
for seed in $seeds; do
  .venv/bin/hip-exo closed-loop --teacher "$teacher" --student "$student" --control "$control" \
    --duration 20 --seed "$seed" --out "$out/seed$seed" "$@"
done
.venv/bin/python artifacts/closed_loop/summarise_effort.py "$out" > "$out/summary.md"
