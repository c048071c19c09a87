"""Summarise closed-loop effort runs over bridge seeds: per speed, falls of each walk (summed) and
the walking speed after settling (mean over seeds), and the changes of the student's loop and of
the teacher alone against each baseline (mean over seeds, min to max). Usage: python summarise.py DIR [DIR ...]  (each DIR holds seedS/closed_loop.json)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

KEYS = {"mean_activation": "activation", "mean_positive_power_w_per_kg": "positive power",
        "activation_s_per_m": "activation per m", "positive_work_j_per_kg_m": "work per m"}


def main(dirs: list[str]) -> None:
    for d in dirs:
        runs = sorted(Path(d).glob("seed*/closed_loop.json"))
        rows = [json.loads(p.read_text()) for p in runs]
        bases = [b for b in ("unpowered", "control") if f"{b}_mean_activation" in rows[0][0]]
        print(f"\n{d} ({', '.join(p.parent.name for p in runs)})\n")
        head = ["speed (m/s)", "falls loop / teacher / " + " / ".join(bases), "r",
                "walking speed loop / teacher / " + " / ".join(bases) + " (m/s)"]
        head += [f"{who} {KEYS[k]} vs {b} (%)" for b in bases for who in ("loop", "teacher") for k in KEYS]
        print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
        for i, speed in enumerate(r["speed_mps"] for r in rows[0]):
            at = [seed[i] for seed in rows]
            falls = [sum(r["falls"] for r in at), sum(r["teacher_falls"] for r in at)] + [sum(r[f"{b}_falls"] for r in at) for b in bases]
            walked = [np.mean([r[f"{w}_effort_speed_mps"] for r in at]) for w in ("loop", "teacher", *bases)]
            cells = [f"{speed:.1f}", " / ".join(map(str, falls)), " / ".join(f"{r['pearson_r']:.2f}" for r in at),
                     " / ".join(f"{v:.2f}" for v in walked)]
            for b in bases:
                for who in ("loop", "teacher"):
                    for k in KEYS:
                        v = np.array([r[f"{who}_{k}_vs_{b}_pct"] for r in at])
                        cells.append(f"{v.mean():+.1f} ({v.min():+.1f} to {v.max():+.1f})")
            print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1:])
