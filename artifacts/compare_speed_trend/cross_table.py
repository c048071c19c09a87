"""Tabulate compare outputs named ..._assisted_sA_vs_control_sC: one row per pair, then each assisted
search's mean over its controls (stop 46, run_cross.sh). Percent changes are (assisted - no-exo) / no-exo.
Usage: cross_table.py [--starts FIRST-LAST] DIR...   (the compare seeds, for the header; default 0-7)"""
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path
from statistics import mean

COLUMNS = ("activation_change_pct", "power_total_change_pct", "activation_per_m_change_pct",
           "power_total_per_m_change_pct", "speed_no_exo", "speed_assisted", "falls_no_exo", "falls_assisted")


def read(out_dir: Path) -> dict[str, float]:
    rows = list(csv.DictReader(open(out_dir / "comparison.csv")))
    assert len(rows) == 1, f"{out_dir}: one condition per compare, got {len(rows)}"
    return {k: float(rows[0][k]) for k in COLUMNS}


def pair_seeds(out_dir: str) -> tuple[str, str]:
    """The assisted and control search seeds a compare folder is named after (the control's may follow
    its variant, run_cross.sh's CVARIANT)."""
    m = re.search(r"assisted_s(\d+)_vs_control_(?:[a-z0-9_]+_)?s(\d+)(_starts\d+to\d+)?$", out_dir.rstrip("/"))
    assert m, f"{out_dir}: not an ..._assisted_sA_vs_control_[VARIANT_]sC[_startsXtoY] folder"
    return m.group(1), m.group(2)


def main(dirs: list[str], starts: str = "0-7") -> None:
    by_assisted: dict[str, list[dict[str, float]]] = defaultdict(list)
    print(f"Compare seeds {starts}, 20 s each; folders under `artifacts/compare_speed_trend/`.\n")
    print("| assisted seed | control seed | activation (%) | positive power (%) | per metre: activation / positive work (%) "
          "| speed control / assisted (m/s) | falls control / assisted (of 8) |")
    print("|---|---|---|---|---|---|---|")
    for d in dirs:
        assisted, control = pair_seeds(d)
        r = read(Path(d))
        by_assisted[assisted].append(r)
        print(f"| {assisted} | {control} | {r['activation_change_pct']:+.1f} | {r['power_total_change_pct']:+.1f} "
              f"| {r['activation_per_m_change_pct']:+.1f} / {r['power_total_per_m_change_pct']:+.1f} "
              f"| {r['speed_no_exo']:.2f} / {r['speed_assisted']:.2f} | {r['falls_no_exo']:.0f} / {r['falls_assisted']:.0f} |")
    print("\nMean over the controls, per assisted search:\n")
    print("| assisted seed | controls | activation (%) | positive power (%) | per metre: activation / positive work (%) "
          "| assisted speed (m/s) | assisted falls (of 8) |")
    print("|---|---|---|---|---|---|---|")
    for a, rs in by_assisted.items():
        avg = {k: mean(r[k] for r in rs) for k in COLUMNS}
        print(f"| {a} | {len(rs)} | {avg['activation_change_pct']:+.1f} | {avg['power_total_change_pct']:+.1f} "
              f"| {avg['activation_per_m_change_pct']:+.1f} / {avg['power_total_per_m_change_pct']:+.1f} "
              f"| {avg['speed_assisted']:.2f} | {rs[0]['falls_assisted']:.0f} |")  # the same walks in every cell


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--starts"]:
        main(args[2:], args[1])
    else:
        main(args)
