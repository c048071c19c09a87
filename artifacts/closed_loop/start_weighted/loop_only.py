"""Stop 25: the student's loop alone (no reference walks), over bridge seeds and level speeds, with
the teacher-through-the-nodes and teacher-alone columns borrowed from a full `hip-exo closed-loop
--seeds` run of the same teacher on this machine (those walks do not depend on the student). Used
to re-walk stop 24's students here: the committed stop-24 outputs do not reproduce on this
machine (the same command gives other falls: see README.md in this folder).

    python loop_only.py TEACHER STUDENT REFERENCE_DIR OUT_DIR SEED [SEED ...]

Writes OUT_DIR/closed_loop.json (rows as hip-exo closed-loop writes them) and prints the table over
seeds (exo_control.closed_loop.pooled_table) and the total falls.
"""

import json
import sys
from pathlib import Path

from exo_control.closed_loop import _first, _run, pooled_table
from exo_control.launch_plan import load_plan_configs

teacher, student, reference, out = sys.argv[1:5]
seeds = [int(s) for s in sys.argv[5:]]
config = Path(__file__).resolve().parents[3] / "config" / "sim.yaml"
nodes = load_plan_configs("sim", config)
ref = {(r["seed"], r["speed_mps"]): r for r in json.loads((Path(reference) / "closed_loop.json").read_text())}
rows = []
for seed in seeds:
    for speed in (0.8, 1.0, 1.2, 1.4, 1.6):
        loop = _run(nodes, config, teacher, student, speed, 0.0, 20.0, seed, "command")
        borrowed = {k: v for k, v in ref[(seed, speed)].items() if k.startswith(("relay_", "teacher_"))}
        rows.append({"speed_mps": speed, "slope_deg": 0.0, "seed": seed, "falls": loop["falls"], "first_fall_s": _first(loop),
                     "mean_speed_mps": loop["mean_speed_mps"], "pearson_r": loop["applied_vs_teacher_torque"]["pearson_r"],
                     "starts_pearson_r": loop["applied_vs_teacher_torque_starts"].get("pearson_r", float("nan")),
                     "after_starts_pearson_r": loop["applied_vs_teacher_torque_after_starts"].get("pearson_r", float("nan")),
                     **borrowed})
Path(out).mkdir(parents=True, exist_ok=True)
(Path(out) / "closed_loop.json").write_text(json.dumps(rows, indent=2))
rows.sort(key=lambda r: r["speed_mps"])
print("\n".join(pooled_table(rows)))
print(f"total falls loop / through the nodes / alone: {sum(r['falls'] for r in rows)} / "
      f"{sum(r['relay_falls'] for r in rows)} / {sum(r['teacher_falls'] for r in rows)}")
