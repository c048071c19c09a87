"""The committed policies follow the contracts that training and deployment share."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from exo_control.policy.default_student import DEFAULT_STUDENT
from exo_control.policy.student_runner import StudentRunner
from exo_interfaces.contract import JOINT_NAMES
from exo_interfaces.student_io import INPUT_CHANNELS
from exo_sim.bridge.sim_bridge_node import DEFAULT_TEACHER, SimBridgeConfig, base_every, bridge_env_config
from exo_sim.learning.teacher_export import TeacherRunner

TEACHERS = Path(__file__).resolve().parents[1] / "artifacts" / "teacher"


def _walk_from_held_out_start(reflex: str, config: str, speed_mps: float, slopes_deg: tuple[float, ...], *,
                              seed: int = 0, duration_s: float = 8.0) -> tuple[list[dict[str, Any]], str]:
    """Walks of a committed reflex file (tuned with config/train/``config``) from a start seed none of
    its nodes was tuned on, one per slope; the evaluation rows and the policy's label."""
    from exo_sim.env.walk import WalkVecEnv
    from exo_sim.learning.evaluate import EvalConfig, load_policy, run_condition

    factory, env_cfg, label = load_policy(reflex=str(TEACHERS / reflex), config=str(TEACHERS.parents[1] / "config" / "train" / config))
    env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
    try:
        return [run_condition(factory, env, speed_mps, g, EvalConfig(duration_s=duration_s, seed=seed)) for g in slopes_deg], label
    finally:
        env.close()


def test_packaged_student_layout_and_provenance() -> None:
    runner = StudentRunner(DEFAULT_STUDENT)
    meta = runner.metadata
    assert meta.input_channels == INPUT_CHANNELS and meta.output_joints == JOINT_NAMES
    assert meta.training_commit != "unknown" and "distill" in meta.training_command
    report = json.loads(DEFAULT_STUDENT.with_suffix(".eval.json").read_text())
    assert report["onnx_parity_max_abs_nm"] <= 1e-5
    # The bridge publishes at the student's rate, so the student's history is filled sample by sample.
    assert meta.rate_hz == SimBridgeConfig().sensor_rate_hz
    # Distilled from the bridge's default teacher: the packaged pair is what `hip-exo launch sim` runs.
    assert f"--teacher artifacts/teacher/{DEFAULT_TEACHER.name}" in report["command"]


def test_default_teacher_is_the_stage2_thigh_clock_person_with_its_profile() -> None:
    """The sim bridge's default person: the stage-2 co-tuned reflexes and phase profile (timed by
    each thigh's phase portrait), exported with a zero network; the package's copy is the one in
    artifacts/; same body and layout as its no-exo controls."""
    assert DEFAULT_TEACHER.read_bytes() == (TEACHERS / DEFAULT_TEACHER.name).read_bytes()
    teacher = TeacherRunner(DEFAULT_TEACHER)
    assert teacher.info.stage == "assist" and teacher.info.env.exo_mode == "assist"
    assert teacher.info.env.assist_clock == "thigh"
    stage2 = json.loads((TEACHERS / "reflex_stage2_thigh_assist.json").read_text())
    from exo_sim.learning.reflex import from_dict

    assert (from_dict(teacher.info.reflex_params) == from_dict(stage2["params"])).all()
    assert teacher.info.assist_profile == stage2["assist"]
    assert "reflex_stage2_thigh_assist.json" in teacher.info.training_command
    for control in ("reflex_stage2_noexo_control.json", "reflex_stage2_noexo_control_s6.json"):
        params = json.loads((TEACHERS / control).read_text())
        assert "assist" not in params and set(params["params"]) <= set(stage2["params"])
    bridge_env_config(teacher.info.env, SimBridgeConfig().sensor_rate_hz)  # rates divide
    assert base_every(teacher.info.env, SimBridgeConfig().sensor_rate_hz) >= 1


def test_committed_ppo_teachers_match_the_bridge() -> None:
    assisted = TeacherRunner(TEACHERS / "teacher_assist.onnx")
    no_exo = TeacherRunner(TEACHERS / "teacher_no_exo.onnx")
    assert (assisted.info.stage, no_exo.info.stage) == ("assist", "no_exo")
    assert assisted.info.env.exo_mode == "assist" and no_exo.info.env.exo_mode == "no_exo"
    # Same body and layout: the two curriculum stages are directly comparable.
    assert assisted.info.env.body == no_exo.info.env.body
    assert (assisted.info.obs_dim, assisted.info.act_dim) == (no_exo.info.obs_dim, no_exo.info.act_dim)
    bridge_env_config(assisted.info.env, SimBridgeConfig().sensor_rate_hz)  # rates divide
    # The same simulated person under both conditions: one reflex layer, at one rate.
    assert assisted.info.reflex_params is not None and assisted.info.reflex_params == no_exo.info.reflex_params
    assert assisted.info.env.base_hz == no_exo.info.env.base_hz
    assert base_every(assisted.info.env, SimBridgeConfig().sensor_rate_hz) >= 1


def test_committed_upright_walker_walks_upright_from_the_held_out_start() -> None:
    """reflex_upright.json, as evaluated: 8 s at 1.2 m/s on level ground from start seed 0 (tuned on
    seeds 1-2), no fall, and the pelvis pitch range after the first 2 s well under the 42-48 deg of
    the earlier walkers (its evaluation: 20-23 deg per stride)."""
    import numpy as np

    (row,), _ = _walk_from_held_out_start("reflex_upright.json", "reflex_160_upright_det.yaml", 1.2, (0.0,))
    assert row["success"] and row["strides"] >= 4  # weight-bearing strides of ~1.8 s, both feet, the first dropped
    assert np.isfinite(row["pelvis_tilt_rom_deg"]) and row["pelvis_tilt_rom_deg"] < 30.0


def test_committed_reflex_schedule_walks_down_slopes_from_the_held_out_start() -> None:
    """reflex_schedule.json, as evaluated: 8 s at 1.2 m/s from start seed 0 (its nodes were tuned on
    seeds 1-3), on a tuned node (-10 deg) and between nodes (-2.5 deg: half level, half -5 deg
    parameters), no fall, and faster downhill than on the level."""
    rows, label = _walk_from_held_out_start("reflex_schedule.json", "reflex_160_upright_slope_node.yaml", 1.2, (-10.0, -2.5))
    assert "schedule" in label
    for row in rows:
        assert row["success"] and row["strides"] >= 5, row  # weight-bearing strides, both feet, the first dropped
    assert abs(rows[0]["speed_error_mps"]) < 0.15


def test_committed_slope_teacher_is_the_seed5_stage2_people_of_three_slopes() -> None:
    """teacher_reflex_stage2_thigh_assist_slopes.onnx (the slope student's teacher): each node is
    that slope's seed-5 stage-2 person with its own profile, as in the schedule file."""
    import numpy as np

    from exo_sim.learning import assist_profile
    from exo_sim.learning.reflex import from_dict
    from exo_sim.learning.reflex_schedule import ReflexSchedule

    teacher = TeacherRunner(TEACHERS / "teacher_reflex_stage2_thigh_assist_slopes.onnx")
    assert teacher.info.stage == "assist" and teacher.info.env.assist_clock == "thigh"
    assert teacher.info.reflex_schedule is not None and teacher.info.assist_profile is None
    schedule = ReflexSchedule.from_nodes(teacher.info.reflex_schedule["nodes"])
    assert schedule.profiles is not None and schedule.slopes_deg.tolist() == [-10.0, -5.0, 0.0]
    for j, name in enumerate(("reflex_stage2_thigh_assist_m10.json", "reflex_stage2_thigh_assist_m5.json",
                              "reflex_stage2_thigh_assist.json")):
        person = json.loads((TEACHERS / name).read_text())
        np.testing.assert_array_equal(schedule.table[0, j], from_dict(person["params"]))
        np.testing.assert_array_equal(schedule.profiles[0, j], assist_profile.from_dict(person["assist"]))
    assert ReflexSchedule.from_file(TEACHERS / "reflex_stage2_thigh_assist_slopes.json").to_json() == schedule.to_json()


def test_committed_uphill_schedule_climbs_from_the_held_out_start() -> None:
    """reflex_schedule_up5.json, as evaluated: 8 s at 1.6 m/s commanded on +5 deg from start seed 0
    (its +5 deg node was tuned on seeds 1-6), no fall, climbing at its own ~0.65 m/s."""
    (row,), _ = _walk_from_held_out_start("reflex_schedule_up5.json", "reflex_160_upright_slope_node.yaml", 1.6, (5.0,))
    assert row["success"] and row["strides"] >= 4, row
    assert 0.5 < row["mean_speed_mps"] < 0.9


def test_start_robust_schedule_walks_from_a_start_its_parent_falls_from() -> None:
    """reflex_schedule_starts.json, as evaluated over held-out starts: at 1.6 m/s on -5 deg its
    start-robust node (tuned on 16 other starts) walks from start seed 8, where reflex_schedule_up5.json's
    node (tuned on seeds 1-3) falls in its first steps."""
    (old,), _ = _walk_from_held_out_start("reflex_schedule_up5.json", "reflex_160_upright_slope_node.yaml", 1.6, (-5.0,),
                                          seed=8, duration_s=4.0)
    (new,), _ = _walk_from_held_out_start("reflex_schedule_starts.json", "reflex_160_upright_slope_node.yaml", 1.6, (-5.0,),
                                          seed=8, duration_s=4.0)
    assert not old["success"] and old["survived_s"] < 2.0, old
    assert new["success"] and 1.2 < new["mean_speed_mps"] < 1.7, new


def test_exported_level_pair_carries_its_tuned_people() -> None:
    """The yielding assisted person, the level controls and the packaged person's control, as teachers
    for the closed loop's effort comparison: each ONNX holds its reflex-tune file's parameters (and profile), and its env."""
    pairs = {"teacher_reflex_stage2_thigh_assist_ysp8late_s6.onnx": "reflex_stage2_thigh_assist_level_matched_ysp8late_s6.json",
             "teacher_reflex_noexo_control_level_matched_s5.onnx": "reflex_stage2_noexo_control_level_matched_s5.json",
             "teacher_reflex_noexo_control_level_matched_s6.onnx": "reflex_stage2_noexo_control_level_matched_s6.json",
             "teacher_reflex_stage2_noexo_control.onnx": "reflex_stage2_noexo_control.json"}
    for onnx_name, reflex_name in pairs.items():
        info = TeacherRunner(TEACHERS / onnx_name).info
        tuned = json.loads((TEACHERS / reflex_name).read_text())
        assert info.reflex_params is not None
        assert {k: info.reflex_params[k] for k in tuned["params"]} == tuned["params"], onnx_name
        assert all(v == 0.0 for k, v in info.reflex_params.items() if k not in tuned["params"])  # later ones, neutral
        assert info.assist_profile == tuned.get("assist"), onnx_name
        assert info.env.exo_mode == ("assist" if tuned.get("assist") else "no_exo"), onnx_name
    assert TeacherRunner(TEACHERS / "teacher_reflex_stage2_thigh_assist_ysp8late_s6.onnx").info.reflex_params["hip_yield_ext"] > 0.0
