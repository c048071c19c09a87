#!/bin/bash
# Stops 27-28: the schedule with the start-robust nodes that select.sh chose, and its evaluations.
# Held out: start seeds 0 and 7 (the whole grid, 20 s, as every schedule before) and 8-17 (the
# whole grid for 4 s, where the start falls happen, for this schedule and reflex_schedule_up5.json;
# and 20 s on the conditions whose node changed).
set -e
cd "$(dirname "$0")/../../../.."
N=artifacts/teacher/tuning/nodes; S=artifacts/teacher/tuning/starts; T=artifacts/teacher
CFG=config/train/reflex_160_upright_slope_node.yaml
args=()
for v in 0.8 1.0 1.2 1.4 1.6; do args+=(--node $v:5=$N/up5_v16/best.json --node $v:-7.5=$N/m7_v12/best.json); done
args+=(--node 0.8:0=$T/reflex_upright.json --node 1.0:0=${LV10:-$N/lv_10/best.json} --node 1.2:0=$N/v14_s0/best.json
       --node 1.4:0=$N/lv_14/best.json --node 1.6:0=${UP16:-$N/up16_0/best.json})
args+=(--node 0.8:-5=${M5V08:-$N/m5_v08/best.json} --node 1.0:-5=$N/m5_v10/best.json --node 1.2:-5=$N/slope_m5c/best.json
       --node 1.4:-5=${M5V14:-$N/m5_v14/best.json} --node 1.6:-5=${M5V16:-$N/m5_v16/best.json})
for v in 08 10 12 16; do args+=(--node ${v:0:1}.${v:1}:-10=$N/m10_v$v/best.json); done
args+=(--node 1.4:-10=${M10V14:-$N/m10_v14/best.json})
.venv/bin/python -m exo_sim reflex-schedule "${args[@]}" --out $T/reflex_schedule_starts.json
ev() { .venv/bin/python -m exo_sim evaluate --config $CFG "$@" > /dev/null 2>&1; }
ev --reflex $T/reflex_schedule_starts.json --out $T/eval_reflex_schedule_starts --seed 0 --duration 20 &
ev --reflex $T/reflex_schedule_starts.json --out $T/eval_reflex_schedule_starts_seed7 --seed 7 --duration 20
wait
ev --reflex $T/reflex_schedule_starts.json --out $T/starts_reflex_schedule_starts_4s --start-seeds $(seq 8 17) --duration 4 &
ev --reflex $T/reflex_schedule_up5.json --out $T/starts_reflex_schedule_up5_4s --start-seeds $(seq 8 17) --duration 4
wait
IFS=';' read -ra conds <<< "${CHANGED:-1.6 -5}"  # the conditions whose node changed, "SPEED SLOPE;..."
for cond in "${conds[@]}"; do set -- $cond
  for sched in starts up5; do
    ev --reflex $T/reflex_schedule_$sched.json --out $T/starts_reflex_schedule_${sched}_20s/v$1_s$2 --speeds $1 --slopes $2 \
      --start-seeds $(seq 8 17) --duration 20 &
  done
  wait
done
