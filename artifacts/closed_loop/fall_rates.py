"""Falls of the student's loop against the teacher alone, pooled over bridge seeds, with exact tests.

At 1.6 m/s the seed-6 person falls in a third of runs (8 of 24 bridge seeds) with its own teacher's torque, so whether
one run of the loop falls where that run of the teacher walked is close to a coin toss; what can be
measured is whether the loop falls more often. Each run is one bridge seed, 20 s per walk, paired:
the loop, the teacher's torque sent through the nodes, and the teacher alone start from the same
state. Exact tests, two-sided, of the loop against the teacher alone (and its fall counts against
the teacher through the nodes):
- counts: equal exposure (20 s per walk), so under equal fall rates the loop's share of the pooled falls is
  Binomial(n, 1/2) (the conditional test for two Poisson rates); its Clopper-Pearson interval
  gives the interval of the ratio of the fall rates;
- runs (McNemar): among the seeds where exactly one of loop / teacher alone fell, each side is
  equally likely under no difference.

    python artifacts/closed_loop/fall_rates.py --speed 1.6 LABEL=DIR[,DIR...] [LABEL=DIR ...]

Each DIR holds closed_loop.json (a `--seeds` run) or seedS/closed_loop.json; a seed found twice is
an error (it would be counted twice).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scipy.stats import binomtest


def load(dirs: list[str], speed: float) -> dict[int, dict[str, float]]:
    """Records at ``speed`` by bridge seed."""
    by_seed: dict[int, dict[str, float]] = {}
    for d in dirs:
        files = [Path(d, "closed_loop.json")] if Path(d, "closed_loop.json").is_file() else sorted(Path(d).glob("seed*/closed_loop.json"))
        if not files:
            raise SystemExit(f"{d}: no closed_loop.json")
        for f in files:
            for rec in json.loads(f.read_text()):
                if abs(rec["speed_mps"] - speed) > 1e-6:
                    continue
                if rec["seed"] in by_seed:
                    raise SystemExit(f"{f}: bridge seed {rec['seed']} already read from another folder")
                by_seed[rec["seed"]] = rec
    if not by_seed:
        raise SystemExit(f"{', '.join(dirs)}: no run at {speed} m/s")
    return by_seed


def two_sided(k: int, n: int) -> float:
    return binomtest(k, n, 0.5).pvalue if n else 1.0


def rate_ratio(a: int, b: int) -> str:
    """a/b with the exact 95 % interval from the Clopper-Pearson interval of a's share of a + b."""
    if a + b == 0:
        return "-"
    ci = binomtest(a, a + b).proportion_ci(confidence_level=0.95, method="exact")
    odds = [p / (1 - p) if p < 1 else float("inf") for p in (a / (a + b), ci.low, ci.high)]
    return f"{odds[0]:.2f} ({odds[1]:.2f}-{odds[2]:.2f})"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speed", type=float, required=True, help="m/s")
    ap.add_argument("groups", nargs="+", metavar="LABEL=DIR[,DIR...]")
    args = ap.parse_args()
    print(f"\nSpeed {args.speed} m/s. Falls over all runs: loop / teacher through the nodes / teacher alone; "
          "runs with a fall (same order); discordant runs: the loop fell and the teacher alone walked / "
          "the reverse; exact two-sided p of no difference; runs where the loop fell and neither the teacher "
          "alone nor the teacher through the nodes did.\n")
    head = ["student", "bridge seeds", "runs", "falls", "runs with a fall", "loop fell, alone walked / reverse",
            "fall rate loop / alone (95 % CI)", "p vs alone (fall counts)", "p vs alone (runs, McNemar)", "p vs through the nodes (fall counts)",
            "loop fell, both teacher walks walked (seeds)"]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for group in args.groups:
        label, _, dirs = group.partition("=")
        recs = load(dirs.split(","), args.speed)
        seeds = sorted(recs)
        falls = [sum(int(recs[s][k]) for s in seeds) for k in ("falls", "relay_falls", "teacher_falls")]
        fell = [sum(recs[s][k] > 0 for s in seeds) for k in ("falls", "relay_falls", "teacher_falls")]
        only_loop = sum(recs[s]["falls"] > 0 and recs[s]["teacher_falls"] == 0 for s in seeds)
        only_alone = sum(recs[s]["falls"] == 0 and recs[s]["teacher_falls"] > 0 for s in seeds)
        only_loop_both = [s for s in seeds if recs[s]["falls"] > 0 and recs[s]["teacher_falls"] == 0 and recs[s]["relay_falls"] == 0]
        span = f"{seeds[0]}-{seeds[-1]}" if seeds == list(range(seeds[0], seeds[-1] + 1)) else ",".join(map(str, seeds))
        cells = [label, span, str(len(seeds)), " / ".join(map(str, falls)), " / ".join(map(str, fell)),
                 f"{only_loop} / {only_alone}", rate_ratio(falls[0], falls[2]), f"{two_sided(falls[0], falls[0] + falls[2]):.2f}",
                 f"{two_sided(only_loop, only_loop + only_alone):.2f}", f"{two_sided(falls[0], falls[0] + falls[1]):.2f}",
                 f"{len(only_loop_both)} ({', '.join(map(str, only_loop_both)) or '-'})"]
        print("| " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
