#!/usr/bin/env bash
# Stop 24 probe: when do the loop's falls happen? Bridge seeds 0-12 at the given level speeds, loop
# and teacher alone, 20 s; the rows carry first_fall_s / teacher_first_fall_s (the bridge's fall
# times). first_falls.sh TEACHER STUDENT OUT "SPEEDS" [CONFIG]; summarise with first_falls.py OUT.
set -euo pipefail
teacher=$1 student=$2 out=$3 speeds=$4 config=${5:-config/sim.yaml}
for seed in 0 1 2 3 4 5 6 7 8 9 10 11 12; do
  hip-exo closed-loop --teacher "$teacher" --student "$student" --speeds $speeds --slopes 0 --duration 20 \
    --seed "$seed" --config "$config" --out "$out/seed$seed"
done
