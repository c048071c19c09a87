"""Two walkers' probe_frontal.py outputs, start by start (stop 39): time walked by each on every start both
ran, the mean difference, how many starts the second walked longer on, and the exact two-sided sign test.

    python artifacts/teacher/tuning/body3d/paired_starts.py BASELINE.txt OTHER.txt [OTHER2.txt ...]
"""

from __future__ import annotations

import re
import sys

from scipy.stats import binomtest


def walked(path: str) -> dict[int, float]:
    """start -> time walked (s) from a probe_frontal.py table."""
    out = {}
    for line in open(path):
        m = re.match(r"\| (\d+) \| ([0-9.]+)", line)
        if m:
            out[int(m.group(1))] = float(m.group(2))
    return out


def sign_test_p(wins: int, losses: int) -> float:
    """Exact two-sided sign test (ties dropped), as closed_loop/fall_rates.py tests its pairs."""
    return binomtest(wins, wins + losses, 0.5).pvalue if wins + losses else 1.0


def main() -> None:
    base = walked(sys.argv[1])
    print(f"baseline {sys.argv[1]}: {len(base)} starts, mean {sum(base.values()) / len(base):.2f} s")
    for path in sys.argv[2:]:
        other = walked(path)
        starts = sorted(set(base) & set(other))
        diff = [other[s] - base[s] for s in starts]
        wins, losses = sum(d > 0 for d in diff), sum(d < 0 for d in diff)
        print(f"{path}: {len(starts)} starts, mean {sum(other[s] for s in starts) / len(starts):.2f} s, "
              f"difference {sum(diff) / len(diff):+.2f} s, longer on {wins}, shorter on {losses}, "
              f"sign test p = {sign_test_p(wins, losses):.3f}")


if __name__ == "__main__":
    main()
