"""A tuned reflex person (parameters or schedule, with or without an assistance profile) exported
as a teacher ONNX: the sim bridge, evaluation and distillation run it like any teacher."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning import assist_profile
from exo_sim.learning.distill import DistillConfig, Distiller
from exo_sim.learning.evaluate import load_policy
from exo_sim.learning.reflex import INITIAL, SCALE, to_dict
from exo_sim.learning.reflex_schedule import ReflexSchedule
from exo_sim.learning.student import StudentConfig
from exo_sim.learning.teacher_export import TeacherRunner, export_reflex_teacher, teacher_policy

REPO = Path(__file__).resolve().parents[1]
NO_EXO = str(REPO / "config/train/reflex_160_upright_slope_node.yaml")
ASSIST = str(REPO / "config/train/reflex_160_upright_assist.yaml")
PROFILE = {"ext_nm": 6.0, "ext_phase": 0.15, "flex_nm": 5.0, "flex_phase": 0.62, "width": 0.08}


def _schedule_file(path: Path, profile: dict[str, float] | None = None) -> Path:
    steep = INITIAL + 0.3 * SCALE
    nodes = [{"speed_mps": 1.2, "slope_deg": g, "params": to_dict(p)} for g, p in ((0.0, INITIAL), (-5.0, steep))]
    data = ReflexSchedule.from_nodes(nodes).to_json()
    if profile is not None:
        data["assist"] = profile
    path.write_text(json.dumps(data))
    return path


def test_a_schedule_teacher_walks_exactly_as_its_reflex_file(tmp_path: Path) -> None:
    reflex = _schedule_file(tmp_path / "schedule.json")
    onnx = export_reflex_teacher(reflex, NO_EXO, tmp_path / "teacher.onnx")
    runner = TeacherRunner(onnx)
    assert runner.info.stage == "no_exo" and runner.info.reflex_params is None and runner.info.assist_profile is None
    assert ReflexSchedule.from_nodes(runner.info.reflex_schedule["nodes"]).slopes_rad.tolist() == pytest.approx(
        np.deg2rad([-5.0, 0.0]).tolist())
    trajectories = []
    for source in ({"onnx": str(onnx)}, {"reflex": str(reflex), "config": NO_EXO}):
        factory, env_cfg, _ = load_policy(**source)
        env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
        policy = factory(env)
        obs, _ = env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": -2.5, "start_seed": 0})
        for _ in range(40):
            obs, *_ = env.step(policy(obs))
        trajectories.append(env.physics.qpos.copy())
        env.close()
    np.testing.assert_array_equal(*trajectories)  # the network is zero; the reflexes are the teacher


def test_a_profile_teacher_commands_its_profile_as_its_exo_action(tmp_path: Path) -> None:
    onnx = export_reflex_teacher(_schedule_file(tmp_path / "s.json", PROFILE), ASSIST, tmp_path / "assist.onnx")
    runner = TeacherRunner(onnx)
    assert runner.info.stage == "assist" and runner.info.assist_profile == PROFILE
    assert "reflex file" in runner.info.training_command and "s.json" in runner.info.training_command
    env = WalkVecEnv(runner.info.env, 2, nthread=1, autoreset=False)
    policy = teacher_policy(runner, env)
    obs, _ = env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0, "start_seed": 0})
    peak = np.zeros(2)
    for _ in range(60):
        action = policy(obs)
        expected = assist_profile.exo_action(env, assist_profile.from_dict(PROFILE))
        np.testing.assert_allclose(action[:, env.exo_action_slice], expected[:, env.exo_action_slice], atol=1e-12)
        peak = np.maximum(peak, np.abs(action[:, env.exo_action_slice] * env.cfg.exo.torque_limit_nm).max(axis=0))
        obs, *_ = env.step(action)
    env.close()
    assert np.all(peak > 1.0) and np.all(peak <= 6.0 + 1e-9)  # the pulses are there, within their peaks


def test_distillation_labels_a_profile_teacher_with_its_profile(tmp_path: Path) -> None:
    onnx = export_reflex_teacher(_schedule_file(tmp_path / "s.json", PROFILE), ASSIST, tmp_path / "assist.onnx")
    cfg = DistillConfig(student=StudentConfig(rate_hz=160.0, history=8, channels=4, dilations=(1,)),
                        num_envs=2, iterations=1, steps_per_iteration=40)
    d = Distiller.from_runner(TeacherRunner(onnx), cfg)
    data = d.rollout(1.0, 160, seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0})
    d.env.close()
    labels = data["teacher_nm"]
    assert labels.min() < -1.0 and labels.max() > 1.0  # extension and flexion pulses
    assert np.abs(labels).max() <= 6.0 + 1e-6


def test_a_schedule_of_assisted_people_assists_each_env_with_its_nodes_profile(tmp_path: Path) -> None:
    """Per-node profiles (the stage-2 people of two slopes): the exported teacher and the reflex file
    command each env's own node's profile; such a file needs an assisted env and no second profile."""
    down = {**PROFILE, "ext_nm": 2.0, "flex_phase": 0.7}
    data = json.loads(_schedule_file(tmp_path / "s.json").read_text())
    for node in data["schedule"]["nodes"]:
        node["assist"] = PROFILE if node["slope_deg"] == 0.0 else down
    reflex = tmp_path / "assisted.json"
    reflex.write_text(json.dumps(data))
    runner = TeacherRunner(export_reflex_teacher(reflex, ASSIST, tmp_path / "assisted.onnx"))
    assert runner.info.assist_profile is None and runner.info.reflex_schedule["nodes"][0]["assist"] == down
    profiles = np.stack([assist_profile.from_dict(p) for p in (PROFILE, down)])
    for source in ("onnx", "reflex"):
        env = WalkVecEnv(runner.info.env, 2, nthread=1, autoreset=False)
        if source == "onnx":
            exo_of = teacher_policy(runner, env)  # the network's action plus the exo command
        else:
            factory, _, label = load_policy(reflex=str(reflex), config=ASSIST)
            assert "each node's assistance profile" in label
            factory(env)  # installs the base, which carries the exo command; the network is zero
            assert env.base is not None
            exo_of = env.base
        obs, _ = env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0, "start_seed": 0})
        for _ in range(40):
            obs[1, env.obs_layout.slices()["slope_rad"]] = np.deg2rad(-5.0)  # env 1 is on the other node
            action = exo_of(obs)
            expected = assist_profile.exo_action(env, profiles)[:, env.exo_action_slice]
            np.testing.assert_allclose(action[:, env.exo_action_slice], expected, atol=1e-12)
            obs, *_ = env.step(action if source == "onnx" else np.zeros_like(action))
        assert np.abs(expected).max() > 0.05  # the pulses were there
        env.close()
    with pytest.raises(ValueError, match="exo_mode 'no_exo'"):
        export_reflex_teacher(reflex, NO_EXO, tmp_path / "x.onnx")
    reflex.write_text(json.dumps({**data, "assist": PROFILE}))
    with pytest.raises(ValueError, match="one more 'assist' profile"):
        export_reflex_teacher(reflex, ASSIST, tmp_path / "x.onnx")
    with pytest.raises(ValueError, match="one more 'assist' profile"):
        load_policy(reflex=str(reflex), config=ASSIST)


def test_bad_reflex_files_are_refused_by_name(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text(json.dumps({"cost": 1.0}))
    with pytest.raises(ValueError, match="neither reflex parameters"):
        export_reflex_teacher(empty, NO_EXO, tmp_path / "x.onnx")
    with pytest.raises(ValueError, match="exo_mode 'no_exo'"):
        export_reflex_teacher(_schedule_file(tmp_path / "s.json", PROFILE), NO_EXO, tmp_path / "x.onnx")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"params": {**to_dict(INITIAL), "sol_gf": float("nan")}}))
    with pytest.raises(ValueError, match="sol_gf"):
        export_reflex_teacher(bad, NO_EXO, tmp_path / "x.onnx")
    assert not (tmp_path / "x.onnx").exists()
