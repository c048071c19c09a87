"""Closed-loop evaluation through topics: the sim launch (sim bridge -> policy -> safety -> bridge)
run once per speed x slope condition, in-process on the sim clock.

Each condition runs the whole ``sim`` launch of a parameter file with the bridge's teacher, speed,
slope and seed and the policy node's student replaced, for ``duration_s`` of sim time. The bridge's
summary gives falls (the bridge resets the person after one), mean speed, and the agreement of the
torque the motors received (the student's, through the safety node) with the teacher's own torque
on the same states: Pearson r and RMSE (Nm/kg). Each condition is also run with two reference walks
(same seed and duration): the bridge applying the teacher's own exo torque directly (``torque_source:
teacher``, "teacher alone"), and the teacher's torque taking the student's path, requested by the
teacher relay in the policy node's place through the safety node ("relay", the teacher through the
nodes). The walks are chaotic: a difference at one step decides some falls, so a fall is put down to
the student where the relay keeps walking, and the relay's own falls against the teacher alone's
measure what the path (and chance) does.

Effort (the bridge's summary: mean muscle activation, mean positive joint power and both per metre)
is given for both walks, and optionally against two baselines run the same way: the same person
with the exo worn and unpowered (``unpowered``: what the student's torque itself changes) and a
separately tuned no-exo person wearing the unpowered exo (``control``: the assisted vs no-exo
comparison, end to end through the deployed nodes). Changes are (walk - baseline) / baseline in %.
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
from exo_interfaces.labels import speed_label
from exo_interfaces.params import ConfigError, from_mapping, to_mapping

#: The bridge summary's effort figures (exo_sim.bridge.sim_bridge_node.EffortMeans).
EFFORT = ("mean_activation", "mean_positive_power_w_per_kg", "activation_s_per_m", "positive_work_j_per_kg_m")
WALKS = ("loop", "teacher")  # the student's loop and the teacher's reference walk (effort tables)
BASELINES = ("unpowered", "control")


def run_condition(config_path: str | Path, teacher: str, student: str, speed_mps: float, slope_deg: float,
                  duration_s: float, seed: int = 0, *, unpowered: bool = False, control: str = "") -> dict[str, Any]:
    """The sim launch at (speed, slope) with the student, its teacher-driven reference walk and the
    baselines asked for (``unpowered``: the teacher's person, motors off; ``control``: this no-exo
    teacher's person, motors off); one table row."""
    if control:
        _check_same_person(teacher, control)
    return _condition(load_plan_configs("sim", config_path), config_path, teacher, student, speed_mps, slope_deg,
                      duration_s, seed, unpowered=unpowered, control=control)


def _condition(nodes: list[tuple[Any, Any, Any]], config_path: str | Path, teacher: str, student: str,
               speed_mps: float, slope_deg: float, duration_s: float, seed: int, *, unpowered: bool = False,
               control: str = "") -> dict[str, Any]:
    def run(person: str, source: str) -> dict[str, Any]:
        return _run(nodes, config_path, person, student, speed_mps, slope_deg, duration_s, seed, source)

    walks = {"teacher": run(teacher, "teacher"), "relay": run(teacher, "relay"), "loop": run(teacher, "command")}
    if unpowered:
        walks["unpowered"] = run(teacher, "unpowered")
    if control:
        walks["control"] = run(control, "unpowered")
    loop, ref, relay = walks["loop"], walks["teacher"], walks["relay"]
    agreement = loop.get("applied_vs_teacher_torque", {})
    row = {"speed_mps": speed_mps, "slope_deg": slope_deg, "seed": seed, "falls": loop["falls"], "teacher_falls": ref["falls"],
           "relay_falls": relay["falls"],
           # Sim time of the first fall (nan: none); later falls start from the bridge's reset.
           "first_fall_s": _first(loop), "teacher_first_fall_s": _first(ref), "relay_first_fall_s": _first(relay),
           "mean_speed_mps": loop["mean_speed_mps"], "teacher_mean_speed_mps": ref["mean_speed_mps"],
           "relay_mean_speed_mps": relay["mean_speed_mps"],
           "pearson_r": agreement.get("pearson_r", math.nan),
           "rmse_nm_per_kg": agreement.get("rmse_nm_per_kg", math.nan),
           # r over each episode's first settle_s (the student's first guesses) and over the rest
           "starts_pearson_r": loop.get("applied_vs_teacher_torque_starts", {}).get("pearson_r", math.nan),
           "after_starts_pearson_r": loop.get("applied_vs_teacher_torque_after_starts", {}).get("pearson_r", math.nan),
           "sim_time_s": loop["sim_time_s"]}
    for name, summary in walks.items():
        effort = summary["effort"]
        row[f"{name}_effort_time_s"] = effort["time_s"]
        row[f"{name}_effort_speed_mps"] = effort.get("speed_mps", math.nan)  # walking speed over the counted time
        row.update({f"{name}_{key}": effort.get(key, math.nan) for key in EFFORT})
        if name in BASELINES:
            row[f"{name}_falls"], row[f"{name}_mean_speed_mps"] = summary["falls"], summary["mean_speed_mps"]
    for base in BASELINES:
        for walk in (WALKS if base in walks else ()):
            for key in EFFORT:
                row[f"{walk}_{key}_vs_{base}_pct"] = _change_pct(row[f"{walk}_{key}"], row[f"{base}_{key}"])
    return row


def _first(summary: dict[str, Any]) -> float:
    times = summary.get("fall_times_s") or [math.nan]
    return float(times[0])


def _check_same_person(teacher: str, control: str) -> None:
    """The control walks in the assisted person's body and exo, or the comparison means nothing."""
    from exo_sim.learning.teacher_export import TeacherRunner

    a, b = TeacherRunner(teacher).info.env, TeacherRunner(control).info.env
    if (a.body, a.exo) != (b.body, b.exo):
        raise ConfigError(f"closed loop: the control {control} was tuned on another body or exo ({b.body.name}) than the "
                          f"teacher {teacher} ({a.body.name}); the comparison needs one simulated person")


def _change_pct(value: float, base: float) -> float:
    return 100.0 * (value - base) / base if math.isfinite(value) and math.isfinite(base) and base else math.nan


def _run(nodes: list[tuple[Any, Any, Any]], config_path: str | Path, teacher: str, student: str, speed_mps: float,
         slope_deg: float, duration_s: float, seed: int, torque_source: str) -> dict[str, Any]:
    """One sim launch; the bridge's summary. ``torque_source`` is the bridge's, or 'relay': the bridge
    applies commands and the teacher relay takes the policy node's place."""
    from exo_sim.bridge.teacher_relay_node import TeacherRelayConfig, TeacherRelayNode

    relay = torque_source == "relay"
    names = {entry.name for entry, _, _ in nodes}
    if not {"sim_bridge", "policy", "safety"} <= names:
        raise ConfigError(f"{config_path}: the closed loop needs the sim_bridge, policy and safety nodes; the launch has {sorted(names)}")
    if not (math.isfinite(duration_s) and duration_s > 0.0):
        raise ConfigError(f"closed loop: duration_s {duration_s!r} must be a positive number of sim seconds")
    override: dict[str, dict[str, Any]] = {
        "sim_bridge": {"teacher_path": teacher, "speed_mps": speed_mps, "slope_deg": slope_deg, "seed": seed, "summary_path": "",
                       "torque_source": "command" if relay else torque_source},
        "policy": {"policy_path": student},
    }
    runtime = InProcessRuntime("sim")
    with runtime:
        for entry, cls, config in nodes:
            if relay and entry.name == "policy":
                runtime.add_node(TeacherRelayNode, TeacherRelayConfig(), entry.name)
                continue
            if entry.name in override:  # validated as if read from the file (a speed out of range is refused by name)
                config = from_mapping(cls.CONFIG, {**to_mapping(config), **override[entry.name]},
                                      source=f"closed loop at {speed_mps} m/s, {slope_deg} deg: {entry.name}")
            runtime.add_node(cls, config, entry.name)
        runtime.spin(duration_s)
        bridge = next(n for n in runtime.nodes if n.handle.name == "sim_bridge")
        summary: dict[str, Any] = bridge.summary()  # type: ignore[attr-defined]
    return summary


def run_grid(config_path: str | Path, teacher: str, student: str, speeds_mps: Sequence[float],
             slopes_deg: Sequence[float], duration_s: float, seed: int | Sequence[int] = 0, *, unpowered: bool = False,
             control: str = "") -> list[dict[str, Any]]:
    """One row per condition and bridge seed (seed-major)."""
    nodes = load_plan_configs("sim", config_path)  # read and validated once for the grid
    if control:
        _check_same_person(teacher, control)
    seeds = [seed] if isinstance(seed, int) else list(seed)
    return [_condition(nodes, config_path, teacher, student, v, g, duration_s, s, unpowered=unpowered, control=control)
            for s in seeds for v in speeds_mps for g in slopes_deg]


def write_outputs(rows: Sequence[dict[str, Any]], out_dir: str | Path, header: str = "") -> Path:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "closed_loop.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(dict.fromkeys(k for r in rows for k in r)), restval="nan")
        writer.writeheader()
        writer.writerows(rows)
    seeds = len({r["seed"] for r in rows}) > 1
    lines = [header, "", "Falls and mean speed, same seed: with the student in the loop / the teacher through the nodes (its torque "
             "requested in the policy's place, through the safety node) / the teacher alone (its torque applied directly).", "",
             "r: the loop's torque against the teacher's over the whole run / each episode's first bridge `settle_s` / the rest.", "",
             "| speed (m/s) | slope (deg) |" + (" seed |" if seeds else "") + " falls | mean speed (m/s) | r | RMSE (Nm/kg) |",
             "|---|---|" + ("---|" if seeds else "") + "---|---|---|---|"]
    for r in rows:
        lines.append(f"| {speed_label(r['speed_mps'])} | {r['slope_deg']:+g} |" + (f" {r['seed']} |" if seeds else "") +
                     f" {r['falls']} / {r['relay_falls']} / {r['teacher_falls']} | "
                     f"{r['mean_speed_mps']:.2f} / {r['relay_mean_speed_mps']:.2f} / {r['teacher_mean_speed_mps']:.2f} | "
                     f"{_r_parts(r)} | {r['rmse_nm_per_kg']:.4f} |")
    if seeds:
        lines += pooled_table(rows)
    lines += _effort_table(rows)
    (out / "closed_loop.md").write_text("\n".join(lines) + "\n")
    (out / "closed_loop.json").write_text(json.dumps(list(rows), indent=2))
    return out / "closed_loop.md"


def pooled_table(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Per condition over bridge seeds: falls of each walk, and the closed-loop criterion. A run
    "walks" when it has no fall in its duration; the student's loop is judged against the teacher
    through the nodes, and that walk against the teacher alone shows what the path and chance do."""
    lines = ["", "Over bridge seeds: falls loop / teacher through the nodes / teacher alone; runs without a fall; the loop "
             "walked where the teacher through the nodes did; that walk walked where the teacher alone did.", "",
             "| speed (m/s) | slope (deg) | runs | falls | runs without a fall | loop where through the nodes | "
             "through the nodes where alone | r mean (min) | r after starts mean (min) |", "|---|---|---|---|---|---|---|---|---|"]
    for speed, slope in dict.fromkeys((r["speed_mps"], r["slope_deg"]) for r in rows):
        at = [r for r in rows if (r["speed_mps"], r["slope_deg"]) == (speed, slope)]
        walked = {w: [r[f"{w}falls"] == 0 for r in at] for w in ("", "relay_", "teacher_")}
        r_loop = [r["pearson_r"] for r in at]
        r_after = [r.get("after_starts_pearson_r", math.nan) for r in at]
        lines.append(f"| {speed_label(speed)} | {slope:+g} | {len(at)} | " + " / ".join(str(sum(r[f'{w}falls'] for r in at)) for w in walked) +
                     " | " + " / ".join(str(sum(v)) for v in walked.values()) + f" | {_where(walked[''], walked['relay_'])} | "
                     f"{_where(walked['relay_'], walked['teacher_'])} | {_mean_min(r_loop)} | {_mean_min(r_after)} |")
    return lines


def _r_parts(row: dict[str, Any]) -> str:
    parts = [row["pearson_r"], row.get("starts_pearson_r", math.nan), row.get("after_starts_pearson_r", math.nan)]
    return " / ".join("-" if not math.isfinite(v) else f"{v:.3f}" for v in parts)


def _mean_min(values: list[float]) -> str:
    """Mean (min) over the finite values ('-' if none: e.g. no run outlasted its start)."""
    finite = [v for v in values if math.isfinite(v)]
    return f"{sum(finite) / len(finite):.3f} ({min(finite):.3f})" if finite else "-"


def _where(walked: list[bool], reference: list[bool]) -> str:
    """Runs walked of those the reference walked."""
    return f"{sum(a and b for a, b in zip(walked, reference))} of {sum(reference)}"


def _effort_table(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Effort of each walk; changes of the student's loop (and the teacher alone) against each baseline run."""
    if not rows or "loop_mean_activation" not in rows[0]:
        return []
    walks = [w for w in (*WALKS, *BASELINES) if f"{w}_mean_activation" in rows[0]]
    lines = ["", "Effort while walking (each episode less its first and, before a fall, its last bridge `settle_s`): mean "
             "muscle activation / mean positive joint power (W/kg), per walk: " + ", ".join(walks) + ".", "",
             "| speed (m/s) | slope (deg) | " + " | ".join(walks) + " |", "|---|---|" + "---|" * len(walks)]
    for r in rows:
        cells = [f"{r[f'{w}_mean_activation']:.4f} / {r[f'{w}_mean_positive_power_w_per_kg']:.3f}" for w in walks]
        lines.append(f"| {speed_label(r['speed_mps'])} | {r['slope_deg']:+g} | " + " | ".join(cells) + " |")
    for base in (b for b in BASELINES if b in walks):
        lines += ["", f"Changes against `{base}` (%): activation / positive power / activation per m / work per m.", "",
                  "| speed (m/s) | slope (deg) | student loop | teacher alone |", "|---|---|---|---|"]
        for r in rows:
            cells = [" / ".join(f"{r[f'{w}_{k}_vs_{base}_pct']:+.1f}" for k in EFFORT) for w in WALKS]
            lines.append(f"| {speed_label(r['speed_mps'])} | {r['slope_deg']:+g} | " + " | ".join(cells) + " |")
    return lines
