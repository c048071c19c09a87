"""Assisted vs no-exo comparison over the speed x slope grid (CSV, PNG figures, markdown).

For each condition and seed, the stage-1 (no-exo) and stage-2 (assisted) teachers walk for
``duration_s``; strides are segmented at left heel strikes (exo_sim.metrics), the first
``skip_strides`` are dropped as transient, and per stride we compute mean muscle activation and
mean positive biological joint power (hip, knee, ankle, total, W/kg), and the walking speed
(forward COM travel / stride time, m/s: a teacher that walks faster spends more, so the speeds
are reported next to the changes, and the changes also per metre walked). The change is
(assisted - no_exo) / no_exo in percent, on the means over strides and seeds; spread is the sd
across strides. The assistance profile is the assisted exo torque per body mass (Nm/kg) over the
stride, mean +/- sd, with its peak extension and flexion magnitudes and their timing (% stride).
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from exo_interfaces.params import check_fields, param
from exo_sim import metrics
from exo_sim.env.config import EnvConfig
from exo_sim.env.walk import WalkVecEnv
from exo_sim.models.build import SimModel

log = logging.getLogger(__name__)

Policy = Callable[[np.ndarray], np.ndarray]
#: Binds a policy to the env it will run in (installs a residual teacher's reflex base there).
PolicyFactory = Callable[[WalkVecEnv], Policy]
JOINT_GROUPS = {"hip": [0, 3], "knee": [1, 4], "ankle": [2, 5]}  # gait_signals' joint order


@dataclass(frozen=True, kw_only=True)
class CompareConfig:
    speeds_mps: tuple[float, ...] = param((0.8, 1.0, 1.2, 1.4, 1.6), "Speeds of the grid (m/s).", ge=0.6, le=1.8)
    slopes_deg: tuple[float, ...] = param((-10.0, -5.0, 0.0, 5.0, 10.0), "Slopes of the grid (deg).", ge=-10.0, le=10.0)
    seeds: tuple[int, ...] = param((0, 1), "Episode seeds per condition.", ge=0)
    duration_s: float = param(20.0, "Walking time per episode (s).", gt=0.0, le=600.0)
    skip_strides: int = param(2, "Initial strides dropped as transient.", ge=0)
    grf_threshold_bw: float = param(0.05, "Vertical GRF / body weight marking contact.", gt=0.0, le=1.0)
    min_stride_s: float = param(0.4, "A heel strike sooner than this after the last one is contact chatter, not a new stride (s).", ge=0.0, le=2.0)
    strike_load_bw: float = param(0.5, "A contact counts as a heel strike only if its vertical GRF reaches this (body weights): "
                                  "a swing foot scuffing the ground does not start a stride.", gt=0.0, le=3.0)
    min_strides: int = param(10, "Strides (over all seeds, after the transient) each condition needs before a change is reported.", ge=1)

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass
class Walk:
    """Signals of one episode at the policy rate, and whether it fell."""

    fell: bool
    dt_s: float
    signals: dict[str, np.ndarray]  # (T, ...) each


def walk(policy: Policy, env: WalkVecEnv, speed: float, slope: float, seed: int, duration_s: float) -> Walk:
    """One episode of ``policy`` (already bound to ``env``) from a seeded reset."""
    obs, _ = env.reset(seed=seed, options={"speed_mps": speed, "slope_deg": slope})
    rows: list[dict[str, np.ndarray]] = []
    fell = False
    for _ in range(int(round(duration_s * env.cfg.policy_hz))):
        obs, _r, term, trunc, _info = env.step(policy(obs))
        rows.append({k: v[0] for k, v in env.gait_signals().items()})
        if term[0] or trunc[0]:
            fell = bool(term[0])
            break
    signals = {k: np.stack([r[k] for r in rows]) for k in rows[0]}
    return Walk(fell, env.cfg.policy_dt_s, signals)


def stride_outcomes(w: Walk, mass_kg: float, weight_n: float, cfg: CompareConfig) -> dict[str, np.ndarray]:
    """Per-stride outcomes of one walk: activation, positive power per joint group, torque profile."""
    hs = metrics.heel_strikes(w.signals["grf_z_n"][:, 0], cfg.grf_threshold_bw * weight_n, cfg.strike_load_bw * weight_n,
                              int(round(cfg.min_stride_s / w.dt_s)))  # scuffs and contact chatter are not strides
    hs = hs[cfg.skip_strides:]
    if len(hs) < 2:
        return {}
    moment, omega = w.signals["moment_bio_nm"], w.signals["omega_rps"]
    power = np.maximum(moment * omega, 0.0) / mass_kg  # (T, 6) W/kg
    out = {"activation": metrics.per_stride_mean(w.signals["activation"].mean(axis=1), hs)}
    for name, cols in JOINT_GROUPS.items():
        out[f"power_{name}"] = metrics.per_stride_mean(power[:, cols].sum(axis=1), hs)
    out["power_total"] = metrics.per_stride_mean(power.sum(axis=1), hs)
    x = w.signals["com_x_m"]
    out["speed"] = (x[hs[1:]] - x[hs[:-1]]) / (np.diff(hs) * w.dt_s)
    out["torque_profile"] = metrics.stride_profiles(metrics.torque_per_kg(w.signals["exo_torque_nm"], mass_kg), hs)
    return out


def compare(no_exo: PolicyFactory, assisted: PolicyFactory, no_exo_env: EnvConfig, assisted_env: EnvConfig,
            cfg: CompareConfig, *, sim: SimModel | None = None) -> list[dict[str, Any]]:
    """Every condition of the grid, each teacher in one env of its own (built once, reset per walk;
    ``sim``: a model both can share). Mass and weight for the per-kg outcomes are the assisted env's."""
    if (no_exo_env.body, no_exo_env.exo) != (assisted_env.body, assisted_env.exo):
        raise ValueError(f"compare: the teachers were trained on different bodies or exos "
                         f"({no_exo_env.body}, {assisted_env.body}); the comparison needs one simulated person")
    envs = {"no_exo": WalkVecEnv(no_exo_env, 1, nthread=1, autoreset=False, sim=sim),
            "assisted": WalkVecEnv(assisted_env, 1, nthread=1, autoreset=False, sim=sim)}
    try:
        policies = {"no_exo": no_exo(envs["no_exo"]), "assisted": assisted(envs["assisted"])}
        mass_kg, weight_n = envs["assisted"].sim.total_mass_kg, envs["assisted"].body_weight_n
        rows = []
        for speed in cfg.speeds_mps:
            for slope in cfg.slopes_deg:
                per: dict[str, dict[str, list[np.ndarray]]] = {"no_exo": {}, "assisted": {}}
                falls = {"no_exo": 0, "assisted": 0}
                for seed in cfg.seeds:
                    for name in ("no_exo", "assisted"):
                        w = walk(policies[name], envs[name], speed, slope, seed, cfg.duration_s)
                        falls[name] += int(w.fell)
                        for k, v in stride_outcomes(w, mass_kg, weight_n, cfg).items():
                            per[name].setdefault(k, []).append(v)
                rows.append(_condition_row(speed, slope, per, falls, cfg.min_strides))
                log.info("compare %.1f m/s %+.0f deg: %s", speed, slope,
                         {k: rows[-1][k] for k in ("activation_change_pct", "power_total_change_pct")})
        return rows
    finally:
        for env in envs.values():
            env.close()


def _condition_row(speed: float, slope: float, per: dict[str, dict[str, list[np.ndarray]]], falls: dict[str, int],
                   min_strides: int = 1) -> dict[str, Any]:
    """Means, spreads and changes of one condition; changes are NaN with fewer than ``min_strides``
    strides in either teacher (a walk that falls within a few strides is not a gait to compare).
    ``*_change_ci95_pct``: half-width of the normal-approximation 95 % interval of the change, from
    the per-stride spread (strides of one walk are not independent: read it as a lower bound)."""
    row: dict[str, Any] = {"speed_mps": speed, "slope_deg": slope, "falls_no_exo": falls["no_exo"],
                           "falls_assisted": falls["assisted"]}
    for key in ("activation", "power_hip", "power_knee", "power_ankle", "power_total", "speed"):
        a = np.concatenate(per["no_exo"].get(key, [np.zeros(0)]))
        b = np.concatenate(per["assisted"].get(key, [np.zeros(0)]))
        row[f"{key}_no_exo"] = float(a.mean()) if a.size else float("nan")
        row[f"{key}_no_exo_sd"] = float(a.std()) if a.size else float("nan")
        row[f"{key}_assisted"] = float(b.mean()) if b.size else float("nan")
        row[f"{key}_assisted_sd"] = float(b.std()) if b.size else float("nan")
        enough = min(a.size, b.size) >= min_strides and bool(row[f"{key}_no_exo"])
        base = row[f"{key}_no_exo"]
        row[f"{key}_change_pct"] = 100.0 * (row[f"{key}_assisted"] - base) / base if enough else float("nan")
        row[f"{key}_change_ci95_pct"] = (100.0 * 1.96 * np.sqrt(a.var() / a.size + b.var() / b.size) / abs(base)
                                         if enough else float("nan"))
        row[f"strides_{key}"] = int(min(a.size, b.size))
    # Per metre walked (mean over strides / mean speed): a slower walk spends less per second, so the
    # changes are also given at equal distance (positive work in J/kg per m, activation-seconds per m).
    stride_speed = {name: np.concatenate(per[name].get("speed", [np.zeros(0)])) for name in ("no_exo", "assisted")}
    for key in ("power_total", "activation"):
        a, b = row[f"{key}_no_exo"] / row["speed_no_exo"], row[f"{key}_assisted"] / row["speed_assisted"]
        enough = np.isfinite(row[f"{key}_change_pct"])
        row[f"{key}_per_m_change_pct"] = 100.0 * (b - a) / a if enough else float("nan")
        if enough:
            var_a = _ratio_of_means_var(np.concatenate(per["no_exo"][key]), stride_speed["no_exo"])
            var_b = _ratio_of_means_var(np.concatenate(per["assisted"][key]), stride_speed["assisted"])
            row[f"{key}_per_m_change_ci95_pct"] = 100.0 * 1.96 * np.sqrt(var_b + var_a * (b / a) ** 2) / abs(a)
        else:
            row[f"{key}_per_m_change_ci95_pct"] = float("nan")
    row["strides_no_exo"] = int(sum(v.size for v in per["no_exo"].get("activation", [])))
    row["strides_assisted"] = int(sum(v.size for v in per["assisted"].get("activation", [])))
    profiles = per["assisted"].get("torque_profile", [])
    if profiles:
        mean, sd = metrics.profile_mean_sd(np.concatenate(profiles))
        row["profile_mean_nm_per_kg"], row["profile_sd_nm_per_kg"] = mean, sd  # (101, 2)
        left = mean[:, 0]
        row["peak_extension_nm_per_kg"] = float(-left.min())
        row["peak_extension_pct_stride"] = float(np.argmin(left))
        row["peak_flexion_nm_per_kg"] = float(left.max())
        row["peak_flexion_pct_stride"] = float(np.argmax(left))
    return row


def _ratio_of_means_var(x: np.ndarray, v: np.ndarray) -> float:
    """Delta-method variance of mean(x) / mean(v) from per-stride pairs (x_i, v_i), as the per-stride
    changes' interval, strides taken as independent (a lower bound)."""
    n = x.size
    if n != v.size:
        raise ValueError(f"per-metre interval: {n} stride outcomes against {v.size} stride speeds")
    if n < 2:
        return float("nan")
    ratio = x.mean() / v.mean()
    residual = x - ratio * v  # the ratio's linearisation, per stride
    return float(residual.var() / n / v.mean() ** 2)


def write_outputs(rows: Sequence[dict[str, Any]], out_dir: Path, header: str = "") -> Path:
    """CSV of scalar columns, profile figure (rows that carry profiles), trend figures, markdown report
    (returned). Rows with a ``source`` (``merge``) name it in the report's last column."""
    out_dir.mkdir(parents=True, exist_ok=True)
    scalar_keys = list(dict.fromkeys(k for r in rows for k, v in r.items() if not isinstance(v, np.ndarray)))
    with open(out_dir / "comparison.csv", "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=scalar_keys, extrasaction="ignore", restval="nan")
        writer.writeheader()
        writer.writerows(rows)
    has_profiles = _figures(rows, out_dir)
    sourced = any("source" in r for r in rows)
    lines = [header, "", "| speed (m/s) | slope (deg) | activation change (%) | positive power change (%): hip | knee | ankle | total "
             "| per metre: activation / positive work change (%) "
             "| peak ext / flex (Nm/kg) | timing (% stride) | speed no-exo / assisted (m/s) | falls no-exo / assisted "
             "| strides no-exo / assisted |" + (" source |" if sourced else ""),
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|" + ("---|" if sourced else "")]
    for r in rows:
        lines.append(
            f"| {r['speed_mps']:.1f} | {r['slope_deg']:+.0f} | {r['activation_change_pct']:+.1f} "
            f"± {r['activation_change_ci95_pct']:.1f} | "
            f"{r['power_hip_change_pct']:+.1f} | {r['power_knee_change_pct']:+.1f} | {r['power_ankle_change_pct']:+.1f} | "
            f"{r['power_total_change_pct']:+.1f} ± {r['power_total_change_ci95_pct']:.1f} | "
            f"{r['activation_per_m_change_pct']:+.1f} ± {r['activation_per_m_change_ci95_pct']:.1f} / "
            f"{r['power_total_per_m_change_pct']:+.1f} ± {r['power_total_per_m_change_ci95_pct']:.1f} | "
            f"{r.get('peak_extension_nm_per_kg', float('nan')):.3f} / "
            f"{r.get('peak_flexion_nm_per_kg', float('nan')):.3f} | {r.get('peak_extension_pct_stride', float('nan')):.0f} / "
            f"{r.get('peak_flexion_pct_stride', float('nan')):.0f} | {r['speed_no_exo']:.2f} / {r['speed_assisted']:.2f} | "
            f"{r['falls_no_exo']} / {r['falls_assisted']} | "
            f"{r['strides_no_exo']} / {r['strides_assisted']} |" + (f" {r.get('source', '')} |" if sourced else "")
        )
    lines += [""] + (["![assistance profiles](profiles.png)", ""] if has_profiles else []) + \
        ["![trend with speed and slope](trend.png)", ""]
    (out_dir / "report.md").write_text("\n".join(lines))
    return out_dir / "report.md"


def read_rows(csv_path: Path) -> list[dict[str, Any]]:
    """The scalar rows of a ``comparison.csv`` (numbers as float or int, empty as NaN, text as is)."""
    def value(text: str) -> Any:
        if text == "":
            return float("nan")
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                pass
        return text

    with open(csv_path, newline="") as f:
        return [{k: value(v) for k, v in row.items()} for row in csv.DictReader(f)]


def read_comparison(out_dir: Path, who: str) -> list[dict[str, Any]]:
    """The rows of a ``compare`` output folder; ``who`` names the caller in the error."""
    path = Path(out_dir) / "comparison.csv"
    if not path.is_file():
        raise ValueError(f"{who}: {out_dir} has no comparison.csv (not a compare output folder)")
    return read_rows(path)


def merge(out_dirs: Sequence[Path]) -> list[dict[str, Any]]:
    """One table from several comparisons (e.g. a pair of people tuned per slope), each row tagged with
    the comparison it came from; a condition may come from only one of them."""
    rows: list[dict[str, Any]] = []
    seen: dict[tuple[float, float], str] = {}
    for d in out_dirs:
        for r in read_comparison(d, "compare merge"):
            key = (float(r["speed_mps"]), float(r["slope_deg"]))
            if key in seen:
                raise ValueError(f"compare merge: {key[0]} m/s, {key[1]:+g} deg is in both {seen[key]} and {d}")
            seen[key] = str(d)
            rows.append({**r, "source": str(d)})  # a merged table's own sources are replaced
    return sorted(rows, key=lambda r: (r["speed_mps"], r["slope_deg"]))


def _figures(rows: Sequence[dict[str, Any]], out_dir: Path) -> bool:
    """profiles.png (if any row carries a profile; returns whether) and trend.png."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    level = [r for r in rows if r["slope_deg"] == 0.0 and "profile_mean_nm_per_kg" in r] or \
        [r for r in rows if "profile_mean_nm_per_kg" in r]
    if level:
        _profile_figure(level, out_dir, plt)
    fig, axes = plt.subplots(2, 2, figsize=(9, 7))
    # Changes with their per-stride 95 % intervals, against speed (a line per slope) and slope (per speed).
    for i, (axis, group, label) in enumerate((("speed_mps", "slope_deg", "{:+.0f} deg"),
                                              ("slope_deg", "speed_mps", "{:.1f} m/s"))):
        for g in sorted({r[group] for r in rows}):
            rs = sorted((r for r in rows if r[group] == g), key=lambda r: r[axis])
            for j, key in enumerate(("activation", "power_total")):
                axes[i, j].errorbar([r[axis] for r in rs], [r[f"{key}_change_pct"] for r in rs],
                                    yerr=[r[f"{key}_change_ci95_pct"] for r in rs], fmt="o-", capsize=3,
                                    label=label.format(g))
    for i, x in enumerate(("speed (m/s)", "slope (deg)")):
        axes[i, 0].set(xlabel=x, ylabel="mean activation change (%)")
        axes[i, 1].set(xlabel=x, ylabel="mean positive joint power change (%)")
        axes[i, 1].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out_dir / "trend.png", dpi=120)
    plt.close(fig)
    return bool(level)


def _profile_figure(level: Sequence[dict[str, Any]], out_dir: Path, plt: Any) -> None:
    fig, ax = plt.subplots(figsize=(6, 4))
    phase = np.linspace(0, 100, metrics.PROFILE_POINTS)
    for r in level:
        mean, sd = r["profile_mean_nm_per_kg"][:, 0], r["profile_sd_nm_per_kg"][:, 0]
        ax.plot(phase, mean, label=f"{r['speed_mps']:.1f} m/s, {r['slope_deg']:+.0f} deg")
        ax.fill_between(phase, mean - sd, mean + sd, alpha=0.2)
    ax.axhline(0, color="k", lw=0.5)
    ax.set(xlabel="left stride (% from heel strike)", ylabel="left hip exo torque (Nm/kg, flexion +)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out_dir / "profiles.png", dpi=120)
    plt.close(fig)
