#!/usr/bin/env bash
# Stop 22: evaluate a robustness continuation of the seed-6 yielding person (run_level_robust.sh):
# copy it to artifacts/teacher, compare it at 1.2 m/s against the two level controls and itself
# unpowered (8 held-out starts, 20 s; as run_profiles.sh), export it as a teacher, and walk it
# through the sim launch at the five level speeds (bridge seeds 0-2) with the parent's 12 s student
# (artifacts/student_ysp8late_s6_long: distilled from the parent, not from this person) and the
# s6 control.   eval_level_robust.sh SEED [KIND]
# KIND r (default): a run of run_level_robust.sh (runs/lvr_*); a (stop 23): run_level_allspeeds.sh
# (runs/lva_*); b (stop 23): STARTS=8 DURATION=12 run_level_allspeeds.sh (runs/lva8_d12_*).
set -euo pipefail
seed=$1 kind=${2:-r} T=artifacts/teacher
declare -A runs=([r]=lvr [a]=lva [b]=lva8_d12)
name=reflex_stage2_thigh_assist_level_matched_ysp8late_s6_$kind$seed
person=$T/$name.json out=artifacts/compare_speed_matched/level_ysp8late_s6_robust
acfg=config/train/reflex_160_upright_assist_thigh.yaml ncfg=config/train/reflex_160_upright_effort_noexo.yaml
grid=(--set "speeds_mps=[1.2]" --set "slopes_deg=[0.0]" --set 'seeds=[0,1,2,3,4,5,6,7]')
cp "runs/${runs[$kind]}_ysp8late_s6_c$seed/best.json" "$person"
for c in 5 6; do
  python -m exo_sim compare --no-exo "$T/reflex_stage2_noexo_control_level_matched_s$c.json" --no-exo-config $ncfg \
    --assisted "$person" --assisted-config $acfg --out "$out/$kind${seed}_vs_control_s$c" "${grid[@]}"
done
python -m exo_sim compare --no-exo "$person" --no-exo-config $acfg --no-exo-unpowered \
  --assisted "$person" --assisted-config $acfg --out "$out/unpowered_$kind$seed" "${grid[@]}"
python -m exo_sim export-reflex --reflex "$person" --config $acfg --out "$T/teacher_${name#reflex_}.onnx"
for s in 0 1 2; do
  hip-exo closed-loop --teacher "$T/teacher_${name#reflex_}.onnx" --student artifacts/student_ysp8late_s6_long/student.onnx \
    --duration 20 --seed $s --unpowered --control $T/teacher_reflex_noexo_control_level_matched_s6.onnx \
    --out "artifacts/closed_loop/ysp8late_s6_robust/$kind$seed/seed$s"
done
