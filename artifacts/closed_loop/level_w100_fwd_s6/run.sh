#!/usr/bin/env bash
# Stop 45 (issue 6): level_w100_s6/run.sh with the assisted people's thigh phase forward-only and rate-limited
# (env.thigh_phase_max_rate_hz 2.5): the 0.8 m/s node as before, the 1.2 m/s node re-tuned with that clock
# (teacher/tuning/pair_speed_trend/run_pair.sh assist 1.2 6 0 100 forward); the same controls.
# CLOCK set: the teacher whose clock also starts settled (env.thigh_phase_start; run_pair.sh ... settled).
#   run.sh STUDENT OUT ["SEEDS" [SPEEDS [CLOCK: fwd (default) or set]]]   -> OUT/seedS/closed_loop.json, OUT/summary.md
set -euo pipefail
case ${5:-fwd} in fwd|set) ;; *) echo "CLOCK: fwd or set"; exit 2 ;; esac
exec "$(dirname "$0")/../level_w100_s6/run.sh" "$1" "$2" "${3:-0 1 2}" "${4:-0.8 1.2}" "${5:-fwd}"
