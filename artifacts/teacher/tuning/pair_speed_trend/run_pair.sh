#!/usr/bin/env bash
# One side of a speed-held -5 deg pair from scratch, both stages, with the run folders copied where
# the compares and the README read them (stop 32; stop 31 drove these steps by hand):
#   stage 1 run.sh (40 gens, 2 starts x 12 s) -> SIDE_vNN_sSEED/, then
#   stage 2 run_starts.sh (15 gens, 8 starts x 15 s) from it -> st_SIDE_vNN_sSEED/.
#   run_pair.sh SIDE SPEED SEED [SLOPE, default -5; 0 = level, stop 42] [WEIGHT: speed-error weight, stop 43]
#     [CLOCK: thigh; forward (forward-only thigh phase) or settled (that, started settled) for the assisted side, stop 45]
#     [FLOOR: speed-floor weight per m/s below the held speed less 0.02 (ReflexTuneConfig.speed_floor_weight), stop 47]
set -euo pipefail
cd "$(dirname "$0")"
source tag.sh
side=$1 speed=$2 seed=$3 slope=${4:--5} weight=${5:-} clock=${6:-thigh} floor=${7:-}
var=$(pair_variant "$weight" "$clock" "$floor")
tag=$(pair_tag "$slope" "$speed")
bash run.sh "$side" "$speed" "$seed" "$slope" "$weight" "$clock" "$floor"
pair_keep "${var}${side}_${tag}_s$seed"
bash run_starts.sh "$side" "$speed" "$seed" "$slope" "$weight" "$clock" "$floor"
pair_keep "st_${var}${side}_${tag}_s$seed"
