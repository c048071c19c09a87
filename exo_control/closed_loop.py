"""Closed-loop evaluation through topics: the sim launch (sim bridge -> policy -> safety -> bridge)
run once per speed x slope condition, in-process on the sim clock.

Each condition runs the whole ``sim`` launch of a parameter file with the bridge's teacher, speed,
slope and seed and the policy node's student replaced, for ``duration_s`` of sim time. The bridge's
summary gives falls (the bridge resets the person after one), mean speed, and the agreement of the
torque the motors received (the student's, through the safety node) with the teacher's own torque
on the same states: Pearson r and RMSE (Nm/kg). Each condition is also run once with the bridge
applying the teacher's own exo torque (``torque_source: teacher``, same seed and duration): the
reference walk, so a fall is put down to the student only where the teacher alone keeps walking.
Outputs: ``closed_loop.csv``, ``closed_loop.json`` and ``closed_loop.md``.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from exo_control.launch_plan import load_plan_configs
from exo_control.runtime.inprocess import InProcessRuntime
from exo_interfaces.params import ConfigError, from_mapping, to_mapping

COLUMNS = ("speed_mps", "slope_deg", "falls", "teacher_falls", "mean_speed_mps", "teacher_mean_speed_mps", "pearson_r",
           "rmse_nm_per_kg", "sim_time_s")


def run_condition(config_path: str | Path, teacher: str, student: str, speed_mps: float, slope_deg: float,
                  duration_s: float, seed: int = 0) -> dict[str, Any]:
    """The sim launch at (speed, slope) with the student, and its teacher-driven reference walk; one table row."""
    return _condition(load_plan_configs("sim", config_path), config_path, teacher, student, speed_mps, slope_deg,
                      duration_s, seed)


def _condition(nodes: list[tuple[Any, Any, Any]], config_path: str | Path, teacher: str, student: str,
               speed_mps: float, slope_deg: float, duration_s: float, seed: int) -> dict[str, Any]:
    ref = _run(nodes, config_path, teacher, student, speed_mps, slope_deg, duration_s, seed, "teacher")
    loop = _run(nodes, config_path, teacher, student, speed_mps, slope_deg, duration_s, seed, "command")
    agreement = loop.get("applied_vs_teacher_torque", {})
    return {"speed_mps": speed_mps, "slope_deg": slope_deg, "falls": loop["falls"], "teacher_falls": ref["falls"],
            "mean_speed_mps": loop["mean_speed_mps"], "teacher_mean_speed_mps": ref["mean_speed_mps"],
            "pearson_r": agreement.get("pearson_r", math.nan),
            "rmse_nm_per_kg": agreement.get("rmse_nm_per_kg", math.nan), "sim_time_s": loop["sim_time_s"]}


def _run(nodes: list[tuple[Any, Any, Any]], config_path: str | Path, teacher: str, student: str, speed_mps: float,
         slope_deg: float, duration_s: float, seed: int, torque_source: str) -> dict[str, Any]:
    """One sim launch; the bridge's summary."""
    names = {entry.name for entry, _, _ in nodes}
    if not {"sim_bridge", "policy", "safety"} <= names:
        raise ConfigError(f"{config_path}: the closed loop needs the sim_bridge, policy and safety nodes; the launch has {sorted(names)}")
    if not (math.isfinite(duration_s) and duration_s > 0.0):
        raise ConfigError(f"closed loop: duration_s {duration_s!r} must be a positive number of sim seconds")
    override: dict[str, dict[str, Any]] = {
        "sim_bridge": {"teacher_path": teacher, "speed_mps": speed_mps, "slope_deg": slope_deg, "seed": seed, "summary_path": "",
                       "torque_source": torque_source},
        "policy": {"policy_path": student},
    }
    runtime = InProcessRuntime("sim")
    with runtime:
        for entry, cls, config in nodes:
            if entry.name in override:  # validated as if read from the file (a speed out of range is refused by name)
                config = from_mapping(cls.CONFIG, {**to_mapping(config), **override[entry.name]},
                                      source=f"closed loop at {speed_mps} m/s, {slope_deg} deg: {entry.name}")
            runtime.add_node(cls, config, entry.name)
        runtime.spin(duration_s)
        bridge = next(n for n in runtime.nodes if n.handle.name == "sim_bridge")
        summary: dict[str, Any] = bridge.summary()  # type: ignore[attr-defined]
    return summary


def run_grid(config_path: str | Path, teacher: str, student: str, speeds_mps: Sequence[float],
             slopes_deg: Sequence[float], duration_s: float, seed: int = 0) -> list[dict[str, Any]]:
    nodes = load_plan_configs("sim", config_path)  # read and validated once for the grid
    return [_condition(nodes, config_path, teacher, student, v, g, duration_s, seed) for v in speeds_mps for g in slopes_deg]


def write_outputs(rows: Sequence[dict[str, Any]], out_dir: str | Path, header: str = "") -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "closed_loop.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    lines = [header, "", "Falls and mean speed: with the student in the loop / the teacher alone (its own exo torque), same seed.", "",
             "| speed (m/s) | slope (deg) | falls | mean speed (m/s) | r | RMSE (Nm/kg) |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['speed_mps']:.1f} | {r['slope_deg']:+g} | {r['falls']} / {r['teacher_falls']} | "
                     f"{r['mean_speed_mps']:.2f} / {r['teacher_mean_speed_mps']:.2f} | "
                     f"{r['pearson_r']:.3f} | {r['rmse_nm_per_kg']:.4f} |")
    (out / "closed_loop.md").write_text("\n".join(lines) + "\n")
    (out / "closed_loop.json").write_text(json.dumps(list(rows), indent=2))
    return out / "closed_loop.md"
