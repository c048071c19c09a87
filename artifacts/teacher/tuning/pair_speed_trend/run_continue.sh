#!/usr/bin/env bash
# Stop 48 (issue 6): a speed node tuned from another speed's node of the same search, not a fresh search.
# The level schedules blend two unrelated searches (0.8 and 1.2 m/s), and between them the blend falls or
# walks 0.2-0.3 m/s slow (student_level_rb_w100_fl400_set_s9/teacher_between_nodes/). Here a side's robust
# best at FROM m/s (rb_VARIANT_SIDE_lvFROM_sSEED, after run_robust.sh) is continued at TO m/s, held to HELD m/s,
# with stage 2's eight starts (1-3, 20-24), 15 generations of 15 s, step 0.08 and the same costs, on both sides
# alike (run_starts.sh's STAGE cf: its st stage, but from the other speed's node).
#   run_continue.sh SIDE FROM TO HELD SEED WEIGHT CLOCK FLOOR  (level ground; e.g. assist 1.2 1.0 1.02 9 100 settled 400)
#     -> runs/trend_cfFROM_VARIANT_SIDE_lvTO_sSEED, copied to cfFROM_VARIANT_SIDE_lvTO_sSEED/ (FROM without the dot)
# SRC (stop 49): continue FROM's SRC best instead (e.g. bd12, the band stage of the node continued from 1.2 m/s), under
# the speed band of 20 s runs (run_starts.sh's STAGE cb) -> cbFROM_VARIANT_SIDE_lvTO_sSEED/
#   run_continue.sh SIDE FROM TO HELD SEED WEIGHT CLOCK FLOOR SRC  (e.g. assist 1.0 0.8 0.81 9 100 settled 400 bd12)
set -euo pipefail
cd "$(dirname "$0")"
source tag.sh
stage=$([ -n "${9:-}" ] && echo cb || echo cf)
name=$stage$(echo "$2" | tr -d .)_$(pair_variant "${6:-}" "${7:-thigh}" "${8:-}")$1_$(pair_tag 0 "$3")_s$5
bash run_starts.sh "$1" "$3" "$5" 0 "${6:-}" "${7:-thigh}" "${8:-}" $stage "$2" "$4" ${9:+"$9"}
pair_keep "$name"
