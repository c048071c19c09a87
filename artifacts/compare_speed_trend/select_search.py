"""Pick one assisted search by a rule fixed before its runs (stop 46), from compares on starts that
no reported table uses (run_cross.sh ... 40: compare seeds 40-47), all against one control:
  1. eligible: falls no more than the control's, and mean speed at most 0.03 m/s below the control's
     (the gap of the two searches that held the speed on starts 0-7: 0.02-0.03 m/s);
  2. of those, the lowest activation change per metre.
Its reported figures stay those from compare seeds 0-17.
Usage: select_search.py DIR...   (folders ..._assisted_sA_vs_control_sC_startsXtoY)"""
import sys
from pathlib import Path

from cross_table import pair_seeds, read  # this folder's table script

MAX_SPEED_GAP_MPS = 0.03


def main(dirs: list[str]) -> None:
    eligible: list[tuple[float, str]] = []
    for d in dirs:
        seed = pair_seeds(d)[0]
        r = read(Path(d))
        gap = r["speed_no_exo"] - r["speed_assisted"]
        ok = r["falls_assisted"] <= r["falls_no_exo"] and gap <= MAX_SPEED_GAP_MPS
        print(f"- seed {seed}: speed {r['speed_assisted']:.3f} against {r['speed_no_exo']:.3f} m/s (gap {gap:+.3f}), "
              f"falls {r['falls_assisted']:.0f} against {r['falls_no_exo']:.0f}, activation {r['activation_change_pct']:+.1f} %, "
              f"per metre {r['activation_per_m_change_pct']:+.1f} % -> {'eligible' if ok else 'not eligible'}")
        if ok:
            eligible.append((r["activation_per_m_change_pct"], seed))
    print(f"Chosen: seed {min(eligible)[1]}" if eligible else "Chosen: none eligible")


if __name__ == "__main__":
    main(sys.argv[1:])
