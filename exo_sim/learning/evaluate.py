"""Speed x slope grid evaluation of a walking controller: success, speed error, gait features.

Per condition: one episode of ``duration_s`` from the env's initial state at that speed and
slope, nominal model (no randomisation), deterministic policy. Success = no fall for the whole
duration. Mean speed = forward COM travel / time survived. Gait features: :mod:`exo_sim.learning.gait`.
Outputs: ``eval.csv``, ``eval.md`` (tables with the approximate normal adult ranges) and ``eval.json``.
Both reports count the walks that meet the issue-5 criterion: no fall, and mean speed within
:data:`SPEED_TOL_MPS` of the commanded speed.

One start can flatter a walker: the start pose carries a small random jitter, and a gait whose first
steps fail from most starts can still walk from the one evaluated. :func:`evaluate_starts` runs the
grid from several start seeds and counts, per condition, the starts it walks from
(``starts.csv``, ``starts.md``).
"""

from __future__ import annotations

import csv
import dataclasses
import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from exo_interfaces.labels import speed_label
from exo_interfaces.params import check_fields, from_mapping, param, read_parameter_file
from exo_sim.env.config import EnvConfig
from exo_sim.env.observations import GRF_Z, pelvis_pitch_rad
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.gait import FEATURES, NORMAL_ADULT, gait_features, in_normal_range

logger = logging.getLogger(__name__)

Policy = Callable[[np.ndarray], np.ndarray]
#: A policy factory: given the evaluation env, return obs -> env action.
PolicyFactory = Callable[[WalkVecEnv], Policy]

#: A walk "tracks" its commanded speed when its mean speed is within this, m/s (the issue-5 target).
SPEED_TOL_MPS = 0.1


def tracks_speed(row: dict[str, Any]) -> bool:
    """No fall, and mean speed within :data:`SPEED_TOL_MPS` of the commanded speed."""
    return bool(row["success"]) and float(row["speed_error_mps"]) < SPEED_TOL_MPS


@dataclass(frozen=True, kw_only=True)
class EvalConfig:
    """The evaluation grid."""

    speeds_mps: tuple[float, ...] = param((0.8, 1.0, 1.2, 1.4, 1.6), "Commanded speeds, m/s.", ge=0.3, le=2.5)
    slopes_deg: tuple[float, ...] = param((-10.0, -5.0, 0.0, 5.0, 10.0), "Slopes, deg.", ge=-15.0, le=15.0)
    duration_s: float = param(20.0, "Episode length; success = no fall for this long, s.", gt=0.0, le=600.0)
    seed: int = param(0, "Env seed (initial joint noise).", ge=0)
    grf_threshold_bw: float = param(0.05, "Vertical GRF / body weight marking foot contact.", gt=0.0, le=1.0)
    skip_strides: int = param(1, "Strides per foot dropped as the start-up transient.", ge=0)

    def __post_init__(self) -> None:
        check_fields(self)


def run_condition(factory: PolicyFactory, env: WalkVecEnv, speed: float, slope: float, cfg: EvalConfig) -> dict[str, Any]:
    """One episode at (speed, slope) from the env's start pose; returns the row of the table."""
    policy = factory(env)
    obs, _ = env.reset(seed=cfg.seed, options={"speed_mps": speed, "slope_deg": slope, "start_seed": cfg.seed})
    ix, c = env.index, env.cols
    joints = list(ix.bio_joints)
    hip_q = ix.bio_qpos[[joints.index("hip_flexion_l"), joints.index("hip_flexion_r")]]
    knee_q = ix.bio_qpos[[joints.index("knee_angle_l"), joints.index("knee_angle_r")]]
    x0 = float(env.physics.sensordata[0, c.com_pos][0])
    rec: dict[str, list[np.ndarray]] = {"x": [], "grf": [], "hip": [], "knee": [], "pitch": []}
    quat = env.obs_layout.slices()["pelvis_quat"]
    fell = False
    steps = int(round(cfg.duration_s * env.cfg.policy_hz))
    for _ in range(steps):
        obs, _r, term, _trunc, _ = env.step(policy(obs))
        sens = env.physics.sensordata[0]
        rec["x"].append(sens[c.com_pos][0])
        rec["grf"].append(-sens[c.grf][list(GRF_Z)])
        rec["hip"].append(env.physics.qpos[0, hip_q])
        rec["knee"].append(env.physics.qpos[0, knee_q])
        rec["pitch"].append(pelvis_pitch_rad(obs[0, quat]))
        if term[0]:
            fell = True
            break
    n = len(rec["x"])
    t = n * env.cfg.policy_dt_s
    x = np.asarray(rec["x"])
    mean_speed = (x[-1] - x0) / t
    feats = gait_features(env.cfg.policy_dt_s, x, np.asarray(rec["grf"]), env.body_weight_n, np.asarray(rec["hip"]),
                          np.asarray(rec["knee"]), pelvis_pitch_rad=np.asarray(rec["pitch"]),
                          threshold_bw=cfg.grf_threshold_bw, skip_strides=cfg.skip_strides)
    row: dict[str, Any] = {
        "speed_mps": speed, "slope_deg": slope, "success": bool(not fell and t >= cfg.duration_s - 1e-9),
        "survived_s": round(t, 3), "mean_speed_mps": float(mean_speed), "speed_error_mps": float(abs(mean_speed - speed)),
        **feats,
    }
    logger.info("v*=%s slope=%+.0f: %s %.1f s, v=%.2f m/s, %d strides", speed_label(speed), slope,
                "success" if row["success"] else "fell at", t, mean_speed, int(feats["strides"]))
    return row


def evaluate_grid(factory: PolicyFactory, env_cfg: EnvConfig, cfg: EvalConfig) -> list[dict[str, Any]]:
    """Every (speed, slope) of the grid, in order."""
    return [row for _, row in _grid_runs(factory, env_cfg, cfg, [cfg.seed])]


def evaluate_starts(factory: PolicyFactory, env_cfg: EnvConfig, cfg: EvalConfig,
                    start_seeds: Sequence[int]) -> list[dict[str, Any]]:
    """The grid once from each start seed (``cfg.seed`` replaced): rows with a ``start_seed`` column."""
    if not start_seeds or len(set(start_seeds)) != len(start_seeds) or min(start_seeds) < 0:
        raise ValueError(f"start seeds {list(start_seeds)}: need one or more distinct seeds >= 0")
    return [{"start_seed": seed, **row} for seed, row in _grid_runs(factory, env_cfg, cfg, start_seeds)]


def _grid_runs(factory: PolicyFactory, env_cfg: EnvConfig, cfg: EvalConfig,
               seeds: Sequence[int]) -> list[tuple[int, dict[str, Any]]]:
    """(seed, row) of every condition from each seed, in one env (each run resets it): one model build."""
    env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
    try:
        return [(seed, run_condition(factory, env, v, g, dataclasses.replace(cfg, seed=seed)))
                for seed in seeds for v in cfg.speeds_mps for g in cfg.slopes_deg]
    finally:
        env.close()


def write_start_outputs(rows: Sequence[dict[str, Any]], out_dir: Path, *, duration_s: float, title: str = "") -> dict[str, Path]:
    """starts.csv (every run) and starts.md: per condition, the starts walked from and the mean speed
    error of those walks."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out_dir / "starts.csv", "md": out_dir / "starts.md"}
    cols = ["start_seed", "speed_mps", "slope_deg", "success", "survived_s", "mean_speed_mps", "speed_error_mps"]
    with paths["csv"].open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    seeds = sorted({r["start_seed"] for r in rows})
    slopes = sorted({r["slope_deg"] for r in rows})
    speeds = sorted({r["speed_mps"] for r in rows})
    runs: dict[tuple[float, float], list[dict[str, Any]]] = {}
    for r in rows:
        runs.setdefault((r["speed_mps"], r["slope_deg"]), []).append(r)
    walked = {k: [r for r in v if r["success"]] for k, v in runs.items()}
    tracked = {k: [r for r in v if tracks_speed(r)] for k, v in runs.items()}
    every = sum(len(walked[k]) == len(v) for k, v in runs.items())
    total = sum(len(v) for v in walked.values())
    most = sum(2 * len(tracked[k]) > len(v) for k, v in runs.items())
    lines = [f"# Grid evaluation over starts\n\n{title}\n" if title else "# Grid evaluation over starts\n"]
    lines.append(f"Start seeds {seeds}, {duration_s:g} s each. Runs without a fall: **{total} / {len(rows)}**; "
                 f"conditions walked from every start: **{every} / {len(runs)}**. Runs without a fall and within "
                 f"{SPEED_TOL_MPS:g} m/s of the commanded speed: **{sum(len(v) for v in tracked.values())} / {len(rows)}**; "
                 f"conditions where more than half the starts do: **{most} / {len(runs)}**.\n")
    for heading, cell in (("Starts walked from (of each condition's runs)", lambda k: f"{len(walked[k])}/{len(runs[k])}"),
                          (f"Starts walked from within {SPEED_TOL_MPS:g} m/s of the commanded speed",
                           lambda k: f"{len(tracked[k])}/{len(runs[k])}"),
                          ("Mean |speed error| of the walks, m/s", lambda k: "-" if not walked[k] else
                           f"{np.mean([r['speed_error_mps'] for r in walked[k]]):.2f}")):
        lines.append(f"## {heading}, speed (rows) x slope (columns)\n")
        lines.append("| v* (m/s) | " + " | ".join(f"{s:+g} deg" for s in slopes) + " |")
        lines.append("|---|" + "---|" * len(slopes))
        lines += [f"| {speed_label(v)} | " + " | ".join("-" if (v, s) not in runs else cell((v, s)) for s in slopes) + " |"
                  for v in speeds]
        lines.append("")
    paths["md"].write_text("\n".join(lines))
    return paths


def summarize(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Grid-level numbers: successes, mean survival, mean speed error, features over successful runs."""
    ok = [r for r in rows if r["success"]]
    walked = [r for r in rows if r["strides"] > 0]
    out: dict[str, Any] = {
        "conditions": len(rows), "successes": len(ok),
        "successes_within_speed_tol": sum(tracks_speed(r) for r in rows),
        "mean_survived_s": float(np.mean([r["survived_s"] for r in rows])),
        "mean_speed_error_mps": float(np.mean([r["speed_error_mps"] for r in rows])),
        "conditions_with_strides": len(walked),
    }
    for f in FEATURES:
        vals = [r[f] for r in walked if np.isfinite(r[f])]
        out[f] = float(np.mean(vals)) if vals else float("nan")
    return out


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float):
        return "-" if not np.isfinite(v) else f"{v:.2f}"
    return str(v)


def write_outputs(rows: Sequence[dict[str, Any]], out_dir: Path, *, title: str = "") -> dict[str, Path]:
    """eval.csv, eval.md and eval.json in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {"csv": out_dir / "eval.csv", "md": out_dir / "eval.md", "json": out_dir / "eval.json"}
    cols = list(rows[0])
    with paths["csv"].open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)
    summary = summarize(rows)
    paths["json"].write_text(json.dumps({"summary": summary, "rows": rows}, indent=2, default=float))
    lines = [f"# Grid evaluation\n\n{title}\n" if title else "# Grid evaluation\n"]
    lines.append(f"Successes (20 s without a fall): **{summary['successes']} / {summary['conditions']}**, "
                 f"**{summary['successes_within_speed_tol']}** of them within {SPEED_TOL_MPS:g} m/s of the commanded speed; "
                 f"mean time survived {summary['mean_survived_s']:.2f} s; mean |speed error| "
                 f"{summary['mean_speed_error_mps']:.2f} m/s; conditions with at least one full stride: "
                 f"{summary['conditions_with_strides']}.\n")
    lines.append("## Success and time survived (s), speed (rows) x slope (columns)\n")
    slopes = sorted({r["slope_deg"] for r in rows})
    speeds = sorted({r["speed_mps"] for r in rows})
    cell = {(r["speed_mps"], r["slope_deg"]): r for r in rows}
    lines.append("| v* (m/s) | " + " | ".join(f"{s:+g} deg" for s in slopes) + " |")
    lines.append("|---|" + "---|" * len(slopes))
    for v in speeds:
        parts = []
        for s in slopes:
            r = cell.get((v, s))
            parts.append("-" if r is None else ("ok" if r["success"] else f"fell {r['survived_s']:.1f}"))
        lines.append(f"| {speed_label(v)} | " + " | ".join(parts) + " |")
    lines.append("\n## Per condition\n")
    head = ["speed_mps", "slope_deg", "success", "survived_s", "mean_speed_mps", "speed_error_mps", "strides", *FEATURES]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "---|" * len(head))
    for r in rows:
        lines.append("| " + " | ".join(_fmt(r[h]) for h in head) + " |")
    lines.append("\n## Gait features vs approximate normal adult values (level walking, ~1.2-1.4 m/s)\n")
    lines.append("| feature | this controller (mean over conditions with strides) | approx. normal | in range | source |")
    lines.append("|---|---|---|---|---|")
    for feat in FEATURES:
        lo, hi, src = NORMAL_ADULT[feat]
        lines.append(f"| {feat} | {_fmt(summary[feat])} | {lo:g}-{hi:g} | {_fmt(in_normal_range(feat, summary[feat]))} | {src} |")
    lines.append("\nNormal values are approximate ranges from the cited textbooks, not speed- or slope-matched.\n")
    paths["md"].write_text("\n".join(lines))
    return paths


def load_policy(*, checkpoint: str | None = None, reflex: str | None = None, config: str | None = None,
                onnx: str | None = None) -> tuple[PolicyFactory, EnvConfig, str]:
    """(policy factory, env config, label) from a PPO checkpoint, reflex parameters (+ the config they
    were tuned with) or a teacher ONNX (its env config, start pose included, is in its metadata)."""
    if checkpoint:
        import torch

        from exo_sim.learning.policy import checkpoint_policy, load_checkpoint

        torch.set_num_threads(1)
        tcfg, state = load_checkpoint(checkpoint)
        label = (f"PPO teacher `{checkpoint}` (stage {tcfg.stage}, iteration {state['iter']}, "
                 f"{state['env_steps']} env steps, commit {state.get('commit', '?')})")
        return (lambda env: checkpoint_policy(tcfg, state, env)), tcfg.env, label
    if reflex:
        from exo_sim.learning.reflex import ReflexBase
        from exo_sim.learning.reflex_schedule import ReflexSchedule, reflex_theta, single_profile

        if not config:
            raise ValueError("--reflex needs --config (the file the controller was tuned with)")
        env_cfg = env_from_file(config)
        best = json.loads(Path(reflex).read_text())
        theta = reflex_theta(best, reflex)
        if isinstance(theta, ReflexSchedule):  # parameters per (speed, slope) node, interpolated
            grid = f"{theta.speeds_mps.tolist()} m/s x {np.rad2deg(theta.slopes_rad).round(3).tolist()} deg"
            label = f"Reflex schedule `{reflex}` (nodes at {grid}, interpolated)"
        else:
            label = f"Reflex controller `{reflex}` (CMA-ES generation {best.get('generation')}, cost {best.get('cost'):.2f})"
        profile = single_profile(best, theta, env_cfg.exo_mode, f"{reflex} (env of {config})")
        if isinstance(theta, ReflexSchedule) and theta.profiles is not None:
            label += " with each node's assistance profile"

        def factory(env: WalkVecEnv) -> Policy:
            env.set_base_controller(ReflexBase(theta, env, profile))  # at env.cfg.base_hz
            zero = np.zeros((1, env.act_layout.size))
            return lambda obs: zero

        if profile is not None:
            label += f" with the assistance profile {best['assist']}"
        return factory, env_cfg, label
    if onnx:
        from exo_sim.learning.teacher_export import TeacherRunner, teacher_policy

        runner = TeacherRunner(onnx)
        return ((lambda env: teacher_policy(runner, env)), runner.info.env,
                f"Teacher ONNX `{onnx}` (stage {runner.info.stage}, training commit {runner.info.training_commit})")
    raise ValueError("give one of checkpoint, reflex (+ config) or onnx")


def env_from_file(path: str) -> EnvConfig:
    """The ``env`` of the reflex_tuning or teacher_training section of a parameter file."""
    sections = read_parameter_file(path)
    for name in ("reflex_tuning", "teacher_training"):
        if name in sections:
            sec = sections[name]
            return from_mapping(EnvConfig, sec.get("env", {}), source=f"{path}: {name}.env")
    raise ValueError(f"{path}: no reflex_tuning or teacher_training section")
