"""Falls of the student's loop and of the teacher alone, pooled over closed-loop runs: per speed,
total falls, runs with a fall, runs where the loop fell more / fewer times than the teacher alone
on the same bridge seed, runs without a fall for the teacher alone that the loop also walked
without one, and the loop's torque r (mean, min); where the rows have them (stop 24 on), the table
over seeds of `hip-exo closed-loop --seeds` (the criterion against the teacher through the nodes)
and the sim times of each run's first fall.

    python artifacts/closed_loop/probes/pooled_falls.py DIR [DIR ...]
    (each DIR holds seedS/closed_loop.json, or one `hip-exo closed-loop --seeds` closed_loop.json)
"""

import json
import sys
from pathlib import Path

import numpy as np

from exo_control.closed_loop import pooled_table

runs = [json.loads(p.read_text()) for d in sys.argv[1:] for p in sorted(Path(d).glob("seed*/closed_loop.json"))]
for d in sys.argv[1:]:  # a --seeds run: one file, rows of every seed; one list per seed as above
    if (Path(d) / "closed_loop.json").exists():
        rows = json.loads((Path(d) / "closed_loop.json").read_text())
        runs += [[r for r in rows if r["seed"] == s] for s in dict.fromkeys(r["seed"] for r in rows)]
print(f"{len(runs)} runs per speed")
print("| speed (m/s) | falls loop / teacher alone | runs with a fall, loop / teacher | runs where the loop fell more / fewer times | "
      "the loop walked where the teacher alone did | r mean (min) |")
print("|---|---|---|---|---|---|")
for i, speed in enumerate(r["speed_mps"] for r in runs[0]):
    loop, teacher = np.array([r[i]["falls"] for r in runs]), np.array([r[i]["teacher_falls"] for r in runs])
    r_loop = np.array([r[i]["pearson_r"] for r in runs])
    print(f"| {speed:.1f} | {loop.sum()} / {teacher.sum()} | {(loop > 0).sum()} / {(teacher > 0).sum()} | "
          f"{(loop > teacher).sum()} / {(loop < teacher).sum()} | {((loop == 0) & (teacher == 0)).sum()} of {(teacher == 0).sum()} | "
          f"{r_loop.mean():.3f} ({r_loop.min():.3f}) |")
if "relay_falls" in runs[0][0]:  # stop 24 on: the teacher through the nodes, the criterion's reference (hip-exo's own table)
    print("\n".join(pooled_table([{**row, "seed": k} for k, r in enumerate(runs) for row in r])))
if "first_fall_s" in runs[0][0]:  # stop 24's rows: when each run's first fall came (s), sorted
    for i, speed in enumerate(r["speed_mps"] for r in runs[0]):
        for key, who in (("first_fall_s", "loop"), ("teacher_first_fall_s", "teacher alone")):
            times = sorted(r[i][key] for r in runs if r[i][key] == r[i][key])
            print(f"{speed:.1f} m/s first falls, {who}: {[round(t, 1) for t in times]}")
print(f"total falls loop / teacher alone: {sum(r[i]['falls'] for r in runs for i in range(len(r)))} / "
      f"{sum(r[i]['teacher_falls'] for r in runs for i in range(len(r)))}")
