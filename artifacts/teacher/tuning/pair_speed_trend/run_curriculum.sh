#!/usr/bin/env bash
# Stop 50 (issue 6): the two-stage curriculum at one speed node. Each side of a pair so far was its own search from one
# shared start, and at level 1.0 m/s the assisted search ended with a higher tuning cost than its control (51.05
# against 48.47, bd12_), so it compared the exo and the luck of two searches. Here both sides continue from the
# control's SRC best (stage 1, no exo): the assisted side with its exo on, started from its own SRC best's profile
# (stage 2), the control with its exo passive, for the same generations under the speed band (run_starts.sh's STAGE ct).
#   run_curriculum.sh SIDE SPEED SEED SRC CSEED WEIGHT CLOCK FLOOR  (level ground; e.g. assist 1.0 9 bd12 6 100 settled 400,
#     and noexo 1.0 6 bd12 6 100 thigh 400)  -> runs/trend_ctSRC_VARIANT_SIDE_lvSPEED_sSEED, copied to ctSRC_VARIANT_SIDE_lvSPEED_sSEED/
set -euo pipefail
cd "$(dirname "$0")"
source tag.sh
name=ct$4_$(pair_variant "${6:-}" "${7:-thigh}" "${8:-}")$1_$(pair_tag 0 "$2")_s$3
bash run_starts.sh "$1" "$2" "$3" 0 "${6:-}" "${7:-thigh}" "${8:-}" ct "$4" "$5"
pair_keep "$name"
