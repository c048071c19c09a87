#!/usr/bin/env bash
# Stop 21 probe: the stop-20 aligned seed-5 person (reflex_stage2_thigh_assist_level_matched_al8_s5.json)
# with both hip-yield gains set by hand (0.3 and 1.0), nothing else changed, against itself with the
# exo unpowered (where the yield terms are zero). 1.2 m/s level, 8 held-out starts, 20 s.
# (First run with the outputs in /tmp/yp/out_G, copied here as out_yG.)
set -euo pipefail
here=artifacts/teacher/tuning/probes/yield_fixed acfg=config/train/reflex_160_upright_assist_thigh.yaml
python - "$here" <<'PY'
import json, sys
d = json.load(open("artifacts/teacher/reflex_stage2_thigh_assist_level_matched_al8_s5.json"))
for g in (0.3, 1.0):
    e = json.loads(json.dumps(d)); e["params"]["hip_yield_ext"] = g; e["params"]["hip_yield_flex"] = g
    json.dump(e, open(f"{sys.argv[1]}/person_y{g}.json", "w"), indent=1)
PY
for g in 0.3 1.0; do
  python -m exo_sim compare --no-exo $here/person_y$g.json --no-exo-config $acfg --no-exo-unpowered \
    --assisted $here/person_y$g.json --assisted-config $acfg --out $here/out_y$g \
    --set "speeds_mps=[1.2]" --set "slopes_deg=[0.0]" --set 'seeds=[0,1,2,3,4,5,6,7]'
done
