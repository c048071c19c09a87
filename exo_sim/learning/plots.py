"""Learning curves from run directories: PPO ``metrics.csv`` and CMA-ES ``progress.csv``."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

TERMS = ("tracking", "joint_limit", "effort", "exo_effort", "exo_smoothness", "fall")


def read_csv(path: Path) -> dict[str, np.ndarray]:
    """Columns of a CSV as float arrays (empty cells -> NaN)."""
    with path.open() as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return {}
    return {k: np.array([float(r[k]) if r[k] not in ("", None) else np.nan for r in rows]) for k in rows[0]}


def _smooth(y: np.ndarray, n: int = 10) -> np.ndarray:
    """Running mean over the last n finite values."""
    out = np.full_like(y, np.nan)
    for i in range(len(y)):
        window = y[max(0, i - n + 1) : i + 1]
        window = window[np.isfinite(window)]
        if len(window):
            out[i] = window.mean()
    return out


def plot_learning_curves(run_dirs: list[Path], out: Path) -> Path:
    """One PNG: PPO reward terms, episode length, success/fall rate, curriculum vs env steps; CMA-ES
    cost, and the pelvis pitch spread (with the trunk support, and the 3D body's frontal support and
    time alive) where the runs log them."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ppo = [(d, read_csv(d / "metrics.csv")) for d in run_dirs if (d / "metrics.csv").exists()]
    cma = [(d, read_csv(d / "progress.csv")) for d in run_dirs if (d / "progress.csv").exists()]
    trunk = [(d, m) for d, m in cma if "gen_best_pitch_sd_deg" in m]
    panels = 4 * bool(ppo) + bool(cma) + bool(trunk)
    if panels == 0:
        raise FileNotFoundError(f"no metrics.csv or progress.csv in {run_dirs}")
    fig, axes = plt.subplots(1, panels, figsize=(4.2 * panels, 3.6), squeeze=False)
    ax = list(axes[0])
    if ppo:
        a_terms, a_len, a_succ, a_cur = ax[:4]
        for d, m in ppo:
            x = m["env_steps"] / 1e6
            for t in TERMS:
                key = f"term/{t}"
                if key in m and np.isfinite(m[key]).any() and np.nanmax(np.abs(m[key])) > 0:
                    a_terms.plot(x, _smooth(m[key]), label=f"{d.name}: {t}")
            a_terms.plot(x, _smooth(m["reward_per_step"]), "k--", label=f"{d.name}: total")
            a_len.plot(x, _smooth(m["episode_length_s"]), label=d.name)
            a_succ.plot(x, _smooth(m["success_rate"]), label=f"{d.name}: success")
            a_succ.plot(x, _smooth(m["fall_rate"]), ":", label=f"{d.name}: fall")
            a_cur.plot(x, m["speed_hi"] - m["speed_lo"], label=f"{d.name}: speed width (m/s)")
            a_cur.plot(x, (m["slope_hi"] - m["slope_lo"]) / 10.0, label=f"{d.name}: slope width / 10 deg")
        a_terms.set(title="reward terms (per step, episode mean)", xlabel="env steps (M)")
        a_len.set(title="episode length (s)", xlabel="env steps (M)")
        a_succ.set(title="success (20 s, no fall) / fall rate", xlabel="env steps (M)", ylim=(-0.05, 1.05))
        a_cur.set(title="curriculum range widths", xlabel="env steps (M)")
        for a in (a_terms, a_len, a_succ, a_cur):
            a.legend(fontsize=6)
            a.grid(alpha=0.3)
    if trunk:  # the pelvis pitch spread, and the continuation's trunk support where a run had one
        a = ax[-1]
        for d, m in trunk:
            a.plot(m["evaluations"], _smooth(m["gen_best_pitch_sd_deg"]), label=f"{d.name}: pitch sd of generation best")
            if "trunk_support_nm_per_rad" in m and np.nanmax(m["trunk_support_nm_per_rad"]) > 0:
                a.plot(m["evaluations"], m["trunk_support_nm_per_rad"] / 10.0, "--", label=f"{d.name}: support / 10 Nm/rad")
            if "frontal_support_nm_per_rad" in m and np.nanmax(m["frontal_support_nm_per_rad"]) > 0:  # the 3D body's
                a.plot(m["evaluations"], m["frontal_support_nm_per_rad"] / 100.0, "-.",
                       label=f"{d.name}: frontal support / 100 Nm/rad")
                a.plot(m["evaluations"], m["gen_best_t_alive_s"], ":", label=f"{d.name}: time alive of generation best (s)")
        a.set(title="trunk (deg)", xlabel="candidate rollouts")
        a.legend(fontsize=6)
        a.grid(alpha=0.3)
    if cma:
        a = ax[-1 - bool(trunk)]
        b = a.twinx()  # one time axis for every run
        for d, m in cma:
            a.plot(m["evaluations"], m["best_cost"], label=f"{d.name}: best cost")
            a.plot(m["evaluations"], m["gen_median_cost"], ":", label=f"{d.name}: median")
            b.plot(m["evaluations"], m["gen_max_t_alive_s"], "g-", alpha=0.3)
        b.set_ylabel("max time alive in generation (s)", color="g")
        a.set(title="reflex CMA-ES", xlabel="candidate rollouts")
        a.legend(fontsize=6)
        a.grid(alpha=0.3)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
