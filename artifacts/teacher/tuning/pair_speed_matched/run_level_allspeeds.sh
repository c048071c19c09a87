#!/usr/bin/env bash
# Stop 23: the seed-6 yielding person (reflex_stage2_thigh_assist_level_matched_ysp8late_s6.json,
# reflexes and profile) tuned on over all level commands at once: scored at 0.8, 1.2 and 1.6 m/s
# commanded on its 2 start seeds for 20 s (stop 22's continuations scored 0.8 and 1.4 only and
# traded one speed's falls for another's), speed held to 0.85 m/s as in the parent's search,
# smaller steps.   run_level_allspeeds.sh "SEEDS"    run dirs runs/lva_ysp8late_s6_cSEED
# STARTS=4 run_level_allspeeds.sh "SEEDS": on 4 start seeds (1-4), run dirs runs/lva4_ysp8late_s6_cSEED
# (the parent walks its 2 tuning starts at every speed but falls from others in the closed loop).
# STARTS=8 DURATION=12 GENERATIONS=12 ...: 8 starts, 12 s each (its falls come 2-16 s after a start,
# ../../probes/falls_by_start.txt), run dirs runs/lva8_d12_ysp8late_s6_cSEED.
# The seed-5 4-start run was started by hand with generations=8 (the "command" of its config.json).
set -euo pipefail
person=artifacts/teacher/reflex_stage2_thigh_assist_level_matched_ysp8late_s6.json
starts=${STARTS:-2} duration=${DURATION:-20} generations=${GENERATIONS:-15} tag=lva
[ "$starts" = 2 ] || tag=lva$starts
[ "$duration" = 20 ] || tag=${tag}_d$duration
seeds=$(seq -s, 1 "$starts")
for seed in ${1:-5}; do
  python -m exo_sim reflex-tune --config config/train/reflex_160_upright_assist.yaml --run-dir "runs/${tag}_ysp8late_s6_c${seed}" \
    --set "seeds=[$seeds]" \
    --set init_params="$person" --set init_profile="$person" --set env.assist_clock=thigh \
    --set 'speeds_mps=[0.8,1.2,1.6]' --set cost_speed_mps=0.85 --set duration_s=$duration \
    --set sigma0=0.05 --set seed=$seed --set generations=$generations
done
