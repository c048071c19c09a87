#!/usr/bin/env bash
# Stop 47 (issue 6): a third stage for start robustness. The speed-floor assisted searches hold the speed
# at level 1.2 m/s but fall from 1-4 of 8 compare starts, mostly within the first 3 s (the controls 0-1):
# stage 2 fits eight fixed starts. This stage continues a stage-2 best from sixteen starts (stage 2's
# 1-3, 20-24 and eight more, 25-32; the compare seeds 0-17 and 40-47 stay held out, their starts drawn
# from another stream) for 10 generations of 15 s, with a smaller step, the same costs and held speed
# (run_starts.sh's STAGE rb).
#   run_robust.sh SIDE SPEED SEED SLOPE WEIGHT CLOCK FLOOR  (run_pair.sh's arguments)
#     -> runs/trend_rb_VARIANT_SIDE_TAG_sSEED, copied to rb_VARIANT_SIDE_TAG_sSEED/
set -euo pipefail
cd "$(dirname "$0")"
source tag.sh
var=$(pair_variant "${5:-}" "${6:-thigh}" "${7:-}") tag=$(pair_tag "$4" "$2")
bash run_starts.sh "$1" "$2" "$3" "$4" "${5:-}" "${6:-thigh}" "${7:-}" rb
pair_keep "rb_${var}${1}_${tag}_s$3"
