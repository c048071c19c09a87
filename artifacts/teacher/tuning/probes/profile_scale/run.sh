#!/usr/bin/env bash
# Stop 20 probe: the speed-held level assisted person (seed 5) held fixed, its profile changed:
# pulses scaled x0, x2, x3 against the seed-5 control (x1 is compare_speed_matched/level/
# assisted_s5_vs_control_s5), and two pulses placed on its biological hip moment (8 Nm at thigh phase
# 0.25 / 0.71, sd 0.04 and 0.06) against itself unpowered. 1.2 m/s level, 8 held-out starts, 20 s.
# Writes the variant files and out_*/ here.
set -euo pipefail
here=artifacts/teacher/tuning/probes/profile_scale T=artifacts/teacher
acfg=config/train/reflex_160_upright_assist_thigh.yaml ncfg=config/train/reflex_160_upright_effort_noexo.yaml
grid=(--set "speeds_mps=[1.2]" --set "slopes_deg=[0.0]" --set 'seeds=[0,1,2,3,4,5,6,7]')
python - "$here" <<'PY'
import json, sys
d = json.load(open("artifacts/teacher/reflex_stage2_thigh_assist_level_matched_s5.json"))
for name, change in {"x0": {"k": 0.0}, "x2": {"k": 2.0}, "x3": {"k": 3.0},
                     "aligned_w4": {"set": dict(ext_nm=8.0, ext_phase=0.25, flex_nm=8.0, flex_phase=0.71, width=0.04)},
                     "aligned_w6": {"set": dict(ext_nm=8.0, ext_phase=0.25, flex_nm=8.0, flex_phase=0.71, width=0.06)}}.items():
    e = json.loads(json.dumps(d))
    if "k" in change:
        e["assist"]["ext_nm"] *= change["k"]; e["assist"]["flex_nm"] *= change["k"]
    else:
        e["assist"] = change["set"]
    json.dump(e, open(f"{sys.argv[1]}/person_{name}.json", "w"), indent=1)
PY
for k in x0 x2 x3; do
  python -m exo_sim compare --no-exo $T/reflex_stage2_noexo_control_level_matched_s5.json --no-exo-config $ncfg \
    --assisted $here/person_$k.json --assisted-config $acfg --out $here/out_$k "${grid[@]}"
done
for k in aligned_w4 aligned_w6; do
  python -m exo_sim compare --no-exo $here/person_$k.json --no-exo-config $acfg --no-exo-unpowered \
    --assisted $here/person_$k.json --assisted-config $acfg --out $here/out_$k "${grid[@]}"
done
