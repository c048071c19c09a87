"""Closed-loop evaluation through topics: the sim launch (sim bridge -> policy -> safety -> bridge)
run once per speed x slope condition, in-process on the sim clock.

Each condition runs the whole ``sim`` launch of a parameter file with the bridge's teacher, speed,
slope and seed and the policy node's student replaced, for ``duration_s`` of sim time. The bridge's
summary gives falls (the bridge resets the person after one), mean speed, and the agreement of the
torque the motors received (the student's, through the safety node) with the teacher's own torque
on the same states: Pearson r and RMSE (Nm/kg). Outputs: ``closed_loop.csv`` and ``closed_loop.md``.
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

COLUMNS = ("speed_mps", "slope_deg", "falls", "mean_speed_mps", "pearson_r", "rmse_nm_per_kg", "sim_time_s")


def run_condition(config_path: str | Path, teacher: str, student: str, speed_mps: float, slope_deg: float,
                  duration_s: float, seed: int = 0) -> dict[str, Any]:
    """One sim launch at (speed, slope); returns the bridge's summary as a table row."""
    return _run(load_plan_configs("sim", config_path), config_path, teacher, student, speed_mps, slope_deg,
                duration_s, seed)


def _run(nodes: list[tuple[Any, Any, Any]], config_path: str | Path, teacher: str, student: str, speed_mps: float,
         slope_deg: float, duration_s: float, seed: int) -> dict[str, Any]:
    names = {entry.name for entry, _, _ in nodes}
    if not {"sim_bridge", "policy", "safety"} <= names:
        raise ConfigError(f"{config_path}: the closed loop needs the sim_bridge, policy and safety nodes; the launch has {sorted(names)}")
    if not (math.isfinite(duration_s) and duration_s > 0.0):
        raise ConfigError(f"closed loop: duration_s {duration_s!r} must be a positive number of sim seconds")
    override: dict[str, dict[str, Any]] = {
        "sim_bridge": {"teacher_path": teacher, "speed_mps": speed_mps, "slope_deg": slope_deg, "seed": seed, "summary_path": ""},
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
    agreement = summary.get("applied_vs_teacher_torque", {})
    return {"speed_mps": speed_mps, "slope_deg": slope_deg, "falls": summary["falls"],
            "mean_speed_mps": summary["mean_speed_mps"], "pearson_r": agreement.get("pearson_r", math.nan),
            "rmse_nm_per_kg": agreement.get("rmse_nm_per_kg", math.nan), "sim_time_s": summary["sim_time_s"]}


def run_grid(config_path: str | Path, teacher: str, student: str, speeds_mps: Sequence[float],
             slopes_deg: Sequence[float], duration_s: float, seed: int = 0) -> list[dict[str, Any]]:
    nodes = load_plan_configs("sim", config_path)  # read and validated once for the grid
    return [_run(nodes, config_path, teacher, student, v, g, duration_s, seed) for v in speeds_mps for g in slopes_deg]


def write_outputs(rows: Sequence[dict[str, Any]], out_dir: str | Path, header: str = "") -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "closed_loop.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    lines = [header, "", "| speed (m/s) | slope (deg) | falls | mean speed (m/s) | r | RMSE (Nm/kg) |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['speed_mps']:.1f} | {r['slope_deg']:+g} | {r['falls']} | {r['mean_speed_mps']:.2f} | "
                     f"{r['pearson_r']:.3f} | {r['rmse_nm_per_kg']:.4f} |")
    (out / "closed_loop.md").write_text("\n".join(lines) + "\n")
    (out / "closed_loop.json").write_text(json.dumps(list(rows), indent=2))
    return out / "closed_loop.md"
