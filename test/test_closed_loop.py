"""Closed-loop evaluation: the sim launch per condition with a given teacher and student."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from exo_control.cli import main
from exo_control.closed_loop import run_condition, run_grid
from exo_interfaces.params import ConfigError

REPO = Path(__file__).resolve().parents[1]
TEACHER = str(REPO / "artifacts/teacher/teacher_assist.onnx")  # the PPO teacher and the packaged student: any pair runs
STUDENT = str(REPO / "exo_control/policy/students/student.onnx")
SIM = REPO / "config/sim.yaml"


def test_closed_loop_command_writes_a_row_per_condition(tmp_path: Path) -> None:
    assert main(["closed-loop", "--teacher", TEACHER, "--student", STUDENT, "--speeds", "0.9", "1.3",
                 "--duration", "1.5", "--seed", "2", "--out", str(tmp_path)]) == 0
    with (tmp_path / "closed_loop.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [(float(r["speed_mps"]), float(r["slope_deg"])) for r in rows] == [(0.9, 0.0), (1.3, 0.0)]
    for r in rows:
        assert float(r["sim_time_s"]) == pytest.approx(1.5, abs=0.01)
        assert 0.0 < float(r["mean_speed_mps"]) < 2.0 and np.isfinite(float(r["pearson_r"]))
        assert 0.0 < float(r["rmse_nm_per_kg"]) < 0.2
        assert int(r["teacher_falls"]) >= 0 and 0.0 < float(r["teacher_mean_speed_mps"]) < 2.0
        assert int(r["relay_falls"]) >= 0 and 0.0 < float(r["relay_mean_speed_mps"]) < 2.0
        assert np.isfinite(float(r["starts_pearson_r"])) and r["after_starts_pearson_r"] == "nan"  # 1.5 s < settle_s
    report = (tmp_path / "closed_loop.md").read_text()
    assert "hip-exo closed-loop" in report and "| 0.9 | +0 |" in report and " / - |" in report
    assert len(json.loads((tmp_path / "closed_loop.json").read_text())) == 2


def test_the_table_over_seeds_judges_the_loop_against_the_teacher_through_the_nodes() -> None:
    from exo_control.closed_loop import pooled_table

    def row(seed: int, loop: int, relay: int, teacher: int) -> dict[str, float]:
        return {"speed_mps": 1.2, "slope_deg": 0.0, "seed": seed, "falls": loop, "relay_falls": relay,
                "teacher_falls": teacher, "pearson_r": 0.9 + 0.01 * seed,
                "after_starts_pearson_r": 0.95 + 0.01 * seed if seed < 2 else float("nan")}

    lines = pooled_table([row(0, 0, 0, 0), row(1, 1, 0, 0), row(2, 0, 1, 2)])
    # falls 1 / 1 / 2; two runs of each walk without a fall; the loop walked in 1 of the relay's 2
    # walked runs; the relay in both of the teacher alone's; r after starts over the runs that had an "after".
    assert lines[-1] == "| 1.2 | +0 | 3 | 1 / 1 / 2 | 2 / 2 / 2 | 1 of 2 | 2 of 2 | 0.910 (0.900) | 0.955 (0.950) |"
    # Speeds between the nodes keep their second decimal: 1.05 m/s is its own row, not a second "1.1".
    between = pooled_table([{**row(0, 0, 0, 0), "speed_mps": v} for v in (1.05, 1.1)])
    assert [line.split(" | ")[0] for line in between[-2:]] == ["| 1.05", "| 1.1"]


def test_several_seeds_in_one_command(tmp_path: Path) -> None:
    assert main(["closed-loop", "--teacher", TEACHER, "--student", STUDENT, "--speeds", "1.0", "--duration", "0.5",
                 "--seeds", "0", "3", "--out", str(tmp_path)]) == 0
    rows = json.loads((tmp_path / "closed_loop.json").read_text())
    assert [r["seed"] for r in rows] == [0, 3]
    report = (tmp_path / "closed_loop.md").read_text()
    assert "seed 0 3" in report and "Over bridge seeds" in report and "| 1.0 | +0 | 2 |" in report


def test_each_condition_runs_its_own_speed_and_seed() -> None:
    a = run_condition(SIM, TEACHER, STUDENT, 1.0, 0.0, 1.0, seed=0)
    b = run_condition(SIM, TEACHER, STUDENT, 1.0, 0.0, 1.0, seed=0)
    c = run_condition(SIM, TEACHER, STUDENT, 1.4, 0.0, 1.0, seed=0)
    assert a == b  # sim clock, one seed: the same trial
    assert c["mean_speed_mps"] != a["mean_speed_mps"]


def test_the_reference_walk_applies_the_teacher_torque_and_ignores_commands() -> None:
    from exo_control.closed_loop import _run
    from exo_control.launch_plan import load_plan_configs

    nodes = load_plan_configs("sim", SIM)
    ref = _run(nodes, SIM, TEACHER, STUDENT, 1.0, 0.0, 1.0, 0, "teacher")
    loop = _run(nodes, SIM, TEACHER, STUDENT, 1.0, 0.0, 1.0, 0, "command")
    assert ref["torque_source"] == "teacher" and loop["torque_source"] == "command"
    assert ref["applied_vs_teacher_torque"]["rmse_nm_per_kg"] == 0.0  # applied = the teacher's own, every period
    assert loop["applied_vs_teacher_torque"]["rmse_nm_per_kg"] > 0.0
    assert ref["distance_m"] != loop["distance_m"]


def test_the_relay_walk_takes_the_teacher_torque_through_the_safety_node() -> None:
    """The teacher relay in the policy's place: the motors receive the teacher's own torque for each
    state (r ~ 1), by way of the safety node (slew-limited, so not bit-equal), and the walk differs
    from the teacher alone's only by that path."""
    from exo_control.closed_loop import _run
    from exo_control.launch_plan import load_plan_configs
    from exo_sim.bridge.sim_bridge_node import DEFAULT_TEACHER

    nodes = load_plan_configs("sim", SIM)
    relay = _run(nodes, SIM, str(DEFAULT_TEACHER), STUDENT, 1.0, 0.0, 1.0, 0, "relay")
    ref = _run(nodes, SIM, str(DEFAULT_TEACHER), STUDENT, 1.0, 0.0, 1.0, 0, "teacher")
    assert relay["torque_source"] == "command"
    agreement = relay["applied_vs_teacher_torque"]
    assert agreement["pearson_r"] > 0.999 and 0.0 < agreement["rmse_nm_per_kg"] < 0.002, agreement
    assert abs(relay["distance_m"] - ref["distance_m"]) < 0.05


def test_a_condition_out_of_the_bridge_range_is_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="speed_mps"):
        run_condition(SIM, TEACHER, STUDENT, 2.5, 0.0, 1.0)
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ConfigError, match="duration_s"):
            run_condition(SIM, TEACHER, STUDENT, 1.0, 0.0, bad)


def test_a_missing_policy_file_stops_the_command_with_a_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["closed-loop", "--teacher", TEACHER, "--student", str(tmp_path / "none.onnx"), "--speeds", "1.0",
                 "--duration", "0.5", "--out", str(tmp_path / "out")]) != 0
    assert "none.onnx" in capsys.readouterr().err
    assert not (tmp_path / "out" / "closed_loop.csv").exists()


@pytest.mark.slow
def test_the_packaged_pair_tracks_its_teacher_at_every_level_speed() -> None:
    """The sim launch's own teacher and student, 20 s at each level speed (bridge seed 0): the
    student's torque follows the teacher's with r >= 0.9 everywhere, and the person falls at most
    twice in the five runs (measured, artifacts/closed_loop/start_weighted/packaged, seed 0: r 0.983-0.993,
    one fall, at 1.6 m/s)."""
    from exo_sim.bridge.sim_bridge_node import DEFAULT_TEACHER

    rows = run_grid(SIM, str(DEFAULT_TEACHER), STUDENT, (0.8, 1.0, 1.2, 1.4, 1.6), (0.0,), 20.0, seed=0)
    assert min(r["pearson_r"] for r in rows) >= 0.9, rows
    assert sum(r["falls"] for r in rows) <= 2, rows


YIELDING = str(REPO / "artifacts/teacher/teacher_reflex_stage2_thigh_assist_ysp8late_s6.onnx")
CONTROL = str(REPO / "artifacts/teacher/teacher_reflex_noexo_control_level_matched_s6.onnx")


def test_effort_is_compared_with_the_unpowered_person_and_a_control(tmp_path: Path) -> None:
    row = run_condition(SIM, YIELDING, STUDENT, 1.2, 0.0, 3.0, seed=0, unpowered=True, control=CONTROL)
    for walk in ("loop", "teacher", "unpowered", "control"):
        assert row[f"{walk}_effort_time_s"] == pytest.approx(1.0)  # 3 s less the bridge's 2 s settling
        assert 0.0 < row[f"{walk}_mean_activation"] < 1.0 and row[f"{walk}_mean_positive_power_w_per_kg"] > 0.0
        assert row[f"{walk}_activation_s_per_m"] == pytest.approx(row[f"{walk}_mean_activation"] / row[f"{walk}_effort_speed_mps"])
    assert row["teacher_mean_activation"] != row["unpowered_mean_activation"]  # the torque changes the walk
    assert row["teacher_mean_activation"] != row["control_mean_activation"]  # another person
    for base in ("unpowered", "control"):
        expected = 100.0 * (row["loop_mean_activation"] / row[f"{base}_mean_activation"] - 1.0)
        assert row[f"loop_mean_activation_vs_{base}_pct"] == pytest.approx(expected)
    assert main(["closed-loop", "--teacher", YIELDING, "--student", STUDENT, "--speeds", "1.2", "--duration", "2.5",
                 "--control", CONTROL, "--out", str(tmp_path)]) == 0
    report = (tmp_path / "closed_loop.md").read_text()
    assert "Changes against `control`" in report and "Changes against `unpowered`" not in report
    with (tmp_path / "closed_loop.csv").open() as f:
        assert "loop_positive_work_j_per_kg_m_vs_control_pct" in next(csv.reader(f))


def test_a_control_on_another_body_is_refused_by_name(tmp_path: Path) -> None:
    import onnx

    proto = onnx.load(CONTROL)
    entry = next(p for p in proto.metadata_props if p.key == "hip_exo.teacher")
    info = json.loads(entry.value)
    info["env"]["body"]["name"] = "myolegs26"  # the 3D body
    entry.value = json.dumps(info)
    other = tmp_path / "control_3d.onnx"
    onnx.save(proto, str(other))
    with pytest.raises(ConfigError, match="control_3d.onnx.*another body"):
        run_condition(SIM, YIELDING, STUDENT, 1.2, 0.0, 1.0, control=str(other))
    with pytest.raises(ConfigError, match="control_3d.onnx.*another body"):  # before the grid's first walk
        run_grid(SIM, YIELDING, STUDENT, (0.8, 1.2), (0.0,), 1.0, control=str(other))


@pytest.mark.slow
def test_the_yielding_person_spends_less_through_the_nodes_than_unpowered_and_its_control() -> None:
    """The seed-6 yielding person with its 12 s student, 20 s at 1.0 and 1.6 m/s (bridge seed 0):
    the student's loop spends at least 3 % less activation than the level control and at least 1 %
    less than the person unpowered (measured, artifacts/closed_loop/ysp8late_s6_long_sim24/effort_seed0:
    -7.8 / -4.9 % and -2.6 / -5.2 %)."""
    student = str(REPO / "artifacts/student_ysp8late_s6_long/student.onnx")
    rows = run_grid(SIM, YIELDING, student, (1.0, 1.6), (0.0,), 20.0, seed=0, unpowered=True, control=CONTROL)
    for row in rows:
        assert row["loop_mean_activation_vs_control_pct"] < -3.0, row
        assert row["loop_mean_activation_vs_unpowered_pct"] < -1.0, row
