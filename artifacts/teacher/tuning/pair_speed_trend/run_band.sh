#!/usr/bin/env bash
# Stop 49 (issue 6): hold both sides of a continued speed node to one speed. Under the speed floor alone the level
# 1.0 m/s continuation (cf12_, stop 48) ran above its held 1.02 m/s on both sides, the assisted side 0.05 m/s faster
# than its control over the compare's 20 s. This stage continues each side's cfFROM best at SPEED with a ceiling as
# steep as the floor, 0.03 m/s above the held speed, over 20 s runs (run_starts.sh's STAGE bd), on both sides alike.
#   run_band.sh SIDE FROM SPEED SEED WEIGHT CLOCK FLOOR  (level ground; e.g. assist 1.2 1.0 9 100 settled 400)
#     -> runs/trend_bdFROM_VARIANT_SIDE_lvSPEED_sSEED, copied to bdFROM_VARIANT_SIDE_lvSPEED_sSEED/ (FROM without the dot)
set -euo pipefail
cd "$(dirname "$0")"
source tag.sh
name=bd$(echo "$2" | tr -d .)_$(pair_variant "${5:-}" "${6:-thigh}" "${7:-}")$1_$(pair_tag 0 "$3")_s$4
bash run_starts.sh "$1" "$3" "$4" 0 "${5:-}" "${6:-thigh}" "${7:-}" bd "$2"
pair_keep "$name"
