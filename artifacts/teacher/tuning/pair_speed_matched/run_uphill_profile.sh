#!/usr/bin/env bash
# Stop 22: +5 deg assisted searches with hip drive that yields to the exo, as the stop-19 +5 deg
# pairs (run.sh: 1.6 m/s commanded, held to 0.7 m/s, 40 generations) but started from a profile and
# from person_up5_yield03.json (their start with the yield gains at 0.3). Controls: run.sh noexo's.
#   run_uphill_profile.sh PROFILE_JSON TAG "SEEDS"    run dirs runs/upp_TAG_sSEED
set -euo pipefail
profile=$1 tag=$2 seeds=${3:-5}
for seed in $seeds; do
  python -m exo_sim reflex-tune --config config/train/reflex_160_upright_assist_thigh.yaml --run-dir "runs/upp_${tag}_s${seed}" \
    --set init_params=artifacts/teacher/tuning/pair_speed_matched/person_up5_yield03.json --set init_profile="$profile" \
    --set 'slopes_deg=[5.0]' --set 'speeds_mps=[1.6]' --set stall_fraction=0.3 --set sigma0=0.1 \
    --set cost_speed_mps=0.7 --set seed=$seed --set generations=40
done
