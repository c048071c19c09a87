#!/bin/bash
# As run (stop 18). runs/node_X/best.json here = the committed artifacts/teacher/tuning/nodes/X/best.json (byte-identical).
# Level-row selection on the tuning start seeds (1-3) only; seed 0 and 7 stay held out.
cd /work/main
declare -A C=( [upright]=artifacts/teacher/reflex_upright.json [v14_s0]=artifacts/teacher/tuning/nodes/v14_s0/best.json [up16_0]=artifacts/teacher/tuning/nodes/up16_0/best.json [lv_08]=runs/node_lv_08/best.json [lv_10]=runs/node_lv_10/best.json [lv_12]=runs/node_lv_12/best.json [lv_14]=runs/node_lv_14/best.json )
for name in "${!C[@]}"; do for s in 1 2 3; do
  .venv/bin/python -m exo_sim evaluate --reflex ${C[$name]} --config config/train/reflex_160_upright_slope_node.yaml --out runs/levelsel/${name}_s$s --slopes 0 --seed $s --duration 20 > /dev/null 2>&1
done; done
# Added after the run: the summary that wrote level_select.txt from those evaluations.
python3 - > artifacts/teacher/tuning/nodes/level_select.txt <<'PY'
import csv, glob, collections
print("# Level-row selection (runs/level_select.sh): each candidate at 0.8-1.6 m/s, level, 20 s, from the")
print("# tuning start seeds 1, 2, 3 only (0 and 7 held out). Rule: among candidates walking all three, the")
print("# lowest mean |speed error|. Columns: speed, candidate, success per seed, mean speed per seed (m/s), mean |error|.")
rows = collections.defaultdict(dict)
for f in sorted(glob.glob('runs/levelsel/*/eval.csv')):
    name = f.split('/')[2].rsplit('_s', 1)[0]
    for r in csv.DictReader(open(f)):
        rows[(name, r['speed_mps'])].setdefault('succ', []).append(r['success'])
        rows[(name, r['speed_mps'])].setdefault('v', []).append(float(r['mean_speed_mps']))
for sp in ['0.8', '1.0', '1.2', '1.4', '1.6']:
    best = None
    for (n, s), d in sorted(rows.items()):
        if s != sp:
            continue
        err = sum(abs(x - float(sp)) for x in d['v']) / 3
        ok = all(x == 'True' for x in d['succ'])
        print(f"{sp}  {n:8s} {' '.join('ok' if x == 'True' else 'fell' for x in d['succ']):14s} {' '.join(f'{x:.2f}' for x in d['v'])}  {err:.3f}")
        if ok and (best is None or err < best[1]):
            best = (n, err)
    print(f"{sp}  selected: {best[0]} ({best[1]:.3f} m/s)")
PY
