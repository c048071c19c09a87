#!/usr/bin/env bash
# Stop 34 (issue 6): falls of the three-node students and their ensembles against the teacher alone
# and the teacher through the nodes, over bridge seeds 6-23 (seeds 0-5, and 6-11 for three-node
# seed 0, are the effort runs in ../trend_st_3node_s6/ and ../ensemble_s6/). Loop and references only,
# no baselines, 20 s per run; then the pooled table with exact tests (../fall_rates.py).
#   run.sh                  -> vSS_NAME_FIRSTtoLAST/closed_loop.{json,csv,md}, fall_rates.md
# As run (two at a time, in runs/falls/, copied here with the speed prefixed to each 1.6 m/s folder):
# seed 0 from 12 (12-23), the two-member ensemble from 6 as 6-11 then 12-23; the rest 6-23. The
# ensembles ran as runs/ens/ens_3node_sNN.onnx, byte-identical to the copies in $E (sha256 checked).
set -euo pipefail
cd "$(dirname "$0")/../../.."
out=artifacts/closed_loop/fall_stats_s6
T=artifacts/teacher/teacher_reflex_stage2_thigh_assist_m5_trend_st_3node_s6.onnx
S=artifacts/student_trend_st_3node_s6 E=artifacts/student_ensemble_s6
run() {  # student folder-name speed first last
  .venv/bin/hip-exo closed-loop --teacher $T --student "$1" --speeds "$3" --slopes -5 --duration 20 \
    --out "$out/$2" --seeds $(seq "$4" "$5")
}
run $S/seed0/student.onnx v16_3node_s0_12to23 1.6 12 23
run $S/seed1/student.onnx v16_3node_s1_6to23 1.6 6 23
run $S/seed2/student.onnx v16_3node_s2_6to23 1.6 6 23
run $E/3node_s01/student.onnx v16_ens_3node_s01_6to11 1.6 6 11
run $E/3node_s01/student.onnx v16_ens_3node_s01_12to23 1.6 12 23
run $E/3node_s012/student.onnx v16_ens_3node_s012_6to23 1.6 6 23
run $E/3node_s012/student.onnx v12_ens_3node_s012_6to23 1.2 6 23
for s in s0 s1 s2; do run $S/seed${s#s}/student.onnx v08_3node_${s}_6to23 0.8 6 23; done
run $E/3node_s01/student.onnx v08_ens_3node_s01_6to23 0.8 6 23
run $E/3node_s012/student.onnx v08_ens_3node_s012_6to23 0.8 6 23
# Then (stop 34, after the table above): the two other two-member ensembles, seeds 0-23 in one run each
# (in runs/falls2/, copied here):
for pair in 02 12; do run $E/3node_s$pair/student.onnx v16_ens_3node_s${pair}_0to23 1.6 0 23; done
# and the three students at 1.2 m/s, seeds 6-23 (written here directly):
for s in 0 1 2; do run $S/seed$s/student.onnx v12_3node_s${s}_6to23 1.2 6 23; done
bash "$out/fall_rates.sh" > "$out/fall_rates.md"
