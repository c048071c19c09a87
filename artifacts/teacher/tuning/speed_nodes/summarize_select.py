"""One line per selection candidate (select.sh): starts walked within the issue-5 speed criterion
(exo_sim.learning.evaluate.tracks_speed), starts walked, mean |speed error| of the walks, speeds.
usage: python summarize_select.py NAME runs/select_NAME/starts.csv"""
import csv
import sys

from exo_sim.learning.evaluate import SPEED_TOL_MPS, tracks_speed

name, path = sys.argv[1], sys.argv[2]
rows = [{**r, "success": r["success"] == "True"} for r in csv.DictReader(open(path))]
ok = [r for r in rows if r["success"]]
within = [r for r in rows if tracks_speed(r)]
speeds = " ".join(f"{float(r['mean_speed_mps']):.2f}" for r in rows)
err = sum(float(r["speed_error_mps"]) for r in ok) / len(ok) if ok else float("nan")
print(f"{name:16s} within {SPEED_TOL_MPS:g} m/s from {len(within)}/{len(rows)} starts; walks from {len(ok)}; "
      f"mean |speed error| of the walks {err:.3f} m/s; speeds {speeds}")
