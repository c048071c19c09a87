"""How much an assisted-vs-no-exo change depends on which two searches are paired.

Every CMA-ES search lands on its own person, so the spread between pairings of separately tuned
people (each assisted search against each control) is the main uncertainty of a comparison: far
wider than the per-stride interval of any one pairing. ``spread`` reads several ``compare``
outputs over the same conditions and gives, per condition and change: how many pairings have a
value (both people walked enough strides), their mean, min and max, and in how many the change is
negative. Speeds are averaged too: a change that comes with a speed change is not a saving at
equal speed.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from exo_sim.learning.compare import read_comparison

#: Changes summarised (comparison.csv columns, %) and their report headings.
CHANGES = {
    "activation_change_pct": "activation",
    "power_total_change_pct": "positive power",
    "activation_per_m_change_pct": "activation per metre",
    "power_total_per_m_change_pct": "positive work per metre",
    "speed_change_pct": "speed",
}


def _finite(pairings: Sequence[dict[str, Any]], col: str) -> np.ndarray:
    """The finite values of ``col`` over the pairings (a condition one side never walked has none)."""
    v = np.array([float(r[col]) for r in pairings])
    return v[np.isfinite(v)]


def spread(out_dirs: Sequence[Path]) -> list[dict[str, Any]]:
    """One row per condition over the pairings in ``out_dirs`` (each a compare output folder)."""
    if len(out_dirs) < 2:
        raise ValueError(f"compare spread: needs at least two comparisons (pairings), got {len(out_dirs)}")
    by_condition: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for d in out_dirs:
        for r in read_comparison(d, "compare spread"):
            by_condition.setdefault((float(r["speed_mps"]), float(r["slope_deg"])), []).append(r)
    rows = []
    for (speed, slope), pairings in sorted(by_condition.items()):
        row: dict[str, Any] = {"speed_mps": speed, "slope_deg": slope, "pairings": len(pairings)}
        for col in CHANGES:
            v = _finite(pairings, col)
            row[f"{col}_n"] = len(v)
            row[f"{col}_negative"] = int(np.sum(v < 0.0))
            for stat, fn in (("mean", np.mean), ("min", np.min), ("max", np.max)):
                row[f"{col}_{stat}"] = float(fn(v)) if len(v) else float("nan")
        for side in ("no_exo", "assisted"):
            v = _finite(pairings, f"speed_{side}")
            row[f"speed_{side}_mean"] = float(np.mean(v)) if len(v) else float("nan")
            row[f"falls_{side}"] = int(sum(int(r[f"falls_{side}"]) for r in pairings))
        rows.append(row)
    return rows


def write_spread(rows: Sequence[dict[str, Any]], out_dir: Path, header: str = "") -> Path:
    """spread.csv and report.md (returned) in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "spread.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["speed_mps", "slope_deg"])
        writer.writeheader()
        writer.writerows(rows)
    lines = [header, "", "Each change (%, assisted against no-exo): mean over the pairings with a value "
             "(min to max), and in how many of them it is negative.", "",
             "| speed (m/s) | slope (deg) | " + " | ".join(f"{name} change (%)" for name in CHANGES.values())
             + " | mean speed no-exo / assisted (m/s) | falls no-exo / assisted (all pairings) |",
             "|---|---|" + "---|" * (len(CHANGES) + 2)]
    for r in rows:
        cells = []
        for col in CHANGES:
            if r[f"{col}_n"] == 0:
                cells.append(f"none of {r['pairings']}")
            else:
                cells.append(f"{r[f'{col}_mean']:+.1f} ({r[f'{col}_min']:+.1f} to {r[f'{col}_max']:+.1f}), "
                             f"negative in {r[f'{col}_negative']} of {r[f'{col}_n']}")
        lines.append(f"| {r['speed_mps']:.1f} | {r['slope_deg']:+.0f} | " + " | ".join(cells)
                     + f" | {r['speed_no_exo_mean']:.2f} / {r['speed_assisted_mean']:.2f} | {r['falls_no_exo']} / {r['falls_assisted']} |")
    (out_dir / "report.md").write_text("\n".join(lines) + "\n")
    return out_dir / "report.md"
