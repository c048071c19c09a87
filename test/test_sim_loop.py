"""The closed loop through topics on the in-process runtime: sim bridge -> policy -> safety -> bridge."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import torch

from exo_control.nodes.policy_node import PolicyConfig, PolicyNode
from exo_control.nodes.safety_node import SafetyNode
from exo_control.runtime.inprocess import InProcessRuntime
from exo_control.safety.governor import SafetyConfig
from exo_interfaces import contract as c
from exo_interfaces import messages as m
from exo_sim.bridge.sim_bridge_node import SimBridgeConfig, SimBridgeNode, bridge_env_config
from exo_sim.env.config import EnvConfig
from exo_sim.learning.export import export_student
from exo_sim.learning.student import StudentConfig, StudentTCN


@pytest.fixture(scope="module")
def student_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    torch.manual_seed(3)
    path = tmp_path_factory.mktemp("loop") / "student.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        export_student(StudentTCN(StudentConfig(history=20, rate_hz=100.0, torque_limit_nm=5.0)), path)
    return path


REPO = Path(__file__).resolve().parents[1]


def _loop(student_path: Path, summary: Path | None = None) -> tuple[InProcessRuntime, SimBridgeNode, list]:
    rt = InProcessRuntime("sim")
    bridge = rt.add_node(SimBridgeNode, SimBridgeConfig(teacher_path="passive", reset_on_fall=True,
                                                        summary_path=str(summary or "")))
    rt.add_node(PolicyNode, PolicyConfig(policy_path=str(student_path)))
    rt.add_node(SafetyNode, SafetyConfig(enable_on_start=True, soft_start_s=0.1))
    stream: list = []
    h = rt.handle("probe")
    for topic in (c.TORQUE_REQUEST, c.TORQUE_COMMAND, c.JOINT_STATES, c.IMU_LEFT_THIGH, c.POLICY_RESET):
        h.create_subscription(topic, lambda msg, name=topic.name: stream.append((name, h.now_ns(), m.serialize(msg))))
    return rt, bridge, stream


def test_bridge_rates_must_divide() -> None:
    with pytest.raises(ValueError, match="sensor_rate_hz 150 must divide the physics rate 640"):
        bridge_env_config(EnvConfig(), 150.0)
    cfg, decimation = bridge_env_config(EnvConfig(), 160.0)
    assert (cfg.substeps, decimation) == (4, 4) and cfg.timestep_s == EnvConfig().timestep_s


def test_torque_flows_through_safety_to_the_body(student_path: Path, tmp_path: Path) -> None:
    rt, bridge, stream = _loop(student_path, tmp_path / "summary.json")
    with rt:
        rt.spin(1.0)
    names = [s[0] for s in stream]
    assert names.count(c.IMU_LEFT_THIGH.name) == 160  # 160 Hz for 1 s
    assert names.count(c.TORQUE_COMMAND.name) == 200 + 1  # 200 Hz, plus the zero at shutdown
    commands = [m.joint_efforts(m.deserialize(b, "sensor_msgs/msg/JointState")) for n, _, b in stream if n == c.TORQUE_COMMAND.name]
    measured = [m.joint_efforts(m.deserialize(b, "sensor_msgs/msg/JointState")) for n, _, b in stream if n == c.JOINT_STATES.name]
    assert max(np.abs(x).max() for x in commands) > 0.1  # the student asked, safety let it through
    assert max(np.abs(x).max() for x in measured) > 0.1  # and the simulated motors produced it
    assert np.all(commands[-1] == 0.0)
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["teacher"] == "passive" and summary["sim_time_s"] == pytest.approx(1.0)
    assert summary["falls"] >= 1  # passive muscles cannot stand: the bridge must notice
    # Each fall-reset tells the policy its history ends there; fall times are kept in sim seconds.
    assert names.count(c.POLICY_RESET.name) == summary["falls"] == len(summary["fall_times_s"])
    assert 0.0 < summary["fall_times_s"][0] <= 1.0


def test_loop_is_reproducible(student_path: Path) -> None:
    streams = []
    for _ in range(2):
        rt, _bridge, stream = _loop(student_path)
        with rt:
            rt.spin(0.5)
        streams.append(stream)
    assert streams[0] == streams[1]


def test_bridge_runs_the_teacher_exactly_as_training_did() -> None:
    """The bridge at 160 Hz holds the 40 Hz teacher's action in left/right terms across its sensor
    periods, as the training env holds it across its reflex ticks. Commanded with the teacher's own
    exo torque, held as the teacher holds it, the body follows the training env's trajectory through
    the mid-stride mirror switches."""
    from exo_sim.env.walk import WalkVecEnv
    from exo_sim.learning.teacher_export import TeacherRunner, teacher_policy

    ppo = REPO / "artifacts/teacher/teacher_assist.onnx"
    rt = InProcessRuntime("sim")
    bridge = rt.add_node(SimBridgeNode, SimBridgeConfig(teacher_path=str(ppo), speed_mps=1.2))
    assert bridge.teacher is not None and bridge.decimation == 4 and bridge._act is not None
    teacher_act = bridge._act

    def act_and_command(obs: np.ndarray) -> np.ndarray:
        """The teacher, and its exo torque (left/right, Nm) at its own rate as the bridge's torque command."""
        a = teacher_act(obs)
        if bridge.steps % bridge.decimation == 0:
            bridge._torque_cmd = np.clip(bridge.env.to_physical(a)[0, bridge._a_exo], -1, 1) * bridge._exo_limit
        return a

    bridge._act = act_and_command
    bridge._evaluate_teacher()  # the bridge evaluates its teacher for the coming step: redo the first with the patch
    runner = TeacherRunner(ppo)
    env = WalkVecEnv(runner.info.env, 1, nthread=1, autoreset=False)
    act = teacher_policy(runner, env)
    obs, _ = env.reset(seed=bridge.config.seed, options={"speed_mps": 1.2, "slope_deg": 0.0})
    switches, peak_nm = 0, 0.0
    for _ in range(60):  # 1.5 s: more than one stride
        obs, *_ = env.step(act(obs))
        for _ in range(bridge.decimation):
            before = bridge.env.phase[0] >= 0.5
            bridge._step()
            switches += before != (bridge.env.phase[0] >= 0.5)
            peak_nm = max(peak_nm, float(np.abs(bridge._torque_cmd).max()))
    assert switches >= 2 and peak_nm > 0.3
    np.testing.assert_allclose(bridge.env.physics.qpos, env.physics.qpos, atol=1e-9)
    np.testing.assert_allclose(bridge.env.physics.sensordata[:, bridge.env.cols.exo_torque],
                               env.physics.sensordata[:, env.cols.exo_torque], atol=1e-9)
    rt.shutdown()
    env.close()


def test_the_reference_walk_is_the_tuned_person_with_its_profile() -> None:
    """``torque_source: teacher`` on the packaged reflex-and-profile teacher is the person as
    reflex-tune ran it: reflexes and profile both at 160 Hz, on the same trajectory."""
    from exo_sim.env.walk import WalkVecEnv
    from exo_sim.learning.evaluate import load_policy

    rt = InProcessRuntime("sim")
    bridge = rt.add_node(SimBridgeNode, SimBridgeConfig(speed_mps=1.2, torque_source="teacher"))
    assert bridge.teacher is not None and bridge.teacher.info.assist_profile is not None
    assert "reflex_stage2_thigh_assist.json" in bridge.teacher.info.training_command  # the file compared with below
    bridge._torque_cmd = np.array([9.0, -9.0])  # ignored
    factory, env_cfg, _ = load_policy(reflex=str(REPO / "artifacts/teacher/reflex_stage2_thigh_assist.json"),
                                      config=str(REPO / "config/train/reflex_160_upright_assist_thigh.yaml"))
    env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
    policy = factory(env)
    obs, _ = env.reset(seed=bridge.config.seed, options={"speed_mps": 1.2, "slope_deg": 0.0})
    peak_nm = 0.0
    for _ in range(60):
        obs, *_ = env.step(policy(obs))
        for _ in range(bridge.decimation):
            bridge._step()
            peak_nm = max(peak_nm, float(np.abs(bridge._teacher_nm).max()))
    assert peak_nm > 1.0
    np.testing.assert_allclose(bridge.env.physics.qpos, env.physics.qpos, atol=1e-9)
    summary = bridge.summary()
    assert summary["torque_source"] == "teacher" and summary["applied_vs_teacher_torque"]["rmse_nm_per_kg"] == 0.0
    rt.shutdown()
    env.close()
    with pytest.raises(ValueError, match="torque_source 'teacher' needs a teacher"):
        SimBridgeConfig(teacher_path="passive", torque_source="teacher")


def test_the_unpowered_walk_applies_no_torque_and_ignores_commands() -> None:
    """``torque_source: unpowered``: the person wears the exo, the motors get nothing, whatever is commanded."""
    rt = InProcessRuntime("sim")
    bridge = rt.add_node(SimBridgeNode, SimBridgeConfig(speed_mps=1.2, torque_source="unpowered", settle_s=0.1))
    bridge._torque_cmd = np.array([9.0, -9.0])
    for _ in range(160):
        bridge._step()
        assert np.all(bridge.env.physics.sensordata[0, bridge.env.cols.exo_torque] == 0.0)
    effort = bridge.summary()["effort"]
    assert effort["time_s"] == pytest.approx(0.9)  # 1 s less the 0.1 s settling
    assert 0.0 < effort["mean_activation"] < 1.0 and effort["mean_positive_power_w_per_kg"] > 0.0
    rt.shutdown()
    SimBridgeConfig(teacher_path="passive", torque_source="unpowered")  # no teacher needed
    with pytest.raises(ValueError, match="settle_s"):
        SimBridgeConfig(settle_s=-1.0)


def _gait(activation: float, power_w: float, com_x: float) -> dict[str, np.ndarray]:
    """One sample of gait signals: all muscles at ``activation``; ``power_w`` of positive power at the left hip."""
    moment = np.zeros(6)
    moment[0] = power_w
    return {"activation": np.full(26, activation), "moment_bio_nm": moment, "omega_rps": np.r_[1.0, np.zeros(5)],
            "com_x_m": np.array(com_x)}


def test_effort_means_leave_out_getting_going_and_going_down() -> None:
    from exo_sim.bridge.sim_bridge_node import EffortMeans

    effort = EffortMeans(mass_kg=2.0, settle_s=0.2, dt_s=0.1)  # two samples settle, two before a fall are dropped
    for k, act in enumerate([0.9, 0.9, 0.1, 0.3, 0.2, 0.7, 0.7]):  # episode 1 ends in a fall
        effort.add(_gait(act, 4.0, 0.1 * k), fell=False)
    effort.add(_gait(0.9, 100.0, 5.0), fell=True)
    for k, act in enumerate([0.9, 0.9, 0.2, 0.2]):  # episode 2 restarts at x = 0, settles again, ends with the trial
        effort.add(_gait(act, 8.0, 0.05 * k), fell=False)
    s = effort.summary()
    assert s["time_s"] == pytest.approx(0.5) and s["mean_activation"] == pytest.approx(0.2)
    assert s["mean_positive_power_w_per_kg"] == pytest.approx((3 * 2.0 + 2 * 4.0) / 5)
    assert s["distance_m"] == pytest.approx(3 * 0.1 + 2 * 0.05)  # no jump across the reset
    assert s["activation_s_per_m"] == pytest.approx(0.2 / (0.4 / 0.5))
    assert effort.summary() == s  # reading the summary does not commit the held-back samples
    assert EffortMeans(2.0, 1.0, 0.1).summary() == {"time_s": 0.0, "distance_m": 0.0}


def test_agreement_is_split_at_each_episodes_start() -> None:
    """The summary's torque agreement over each episode's first settle_s and over the rest: the
    episode clock restarts at a fall-reset, and the two parts together are the whole run."""
    from exo_sim.metrics import torque_agreement

    rt = InProcessRuntime("sim")
    bridge = rt.add_node(SimBridgeNode, SimBridgeConfig(speed_mps=1.2, settle_s=0.25))
    rng = np.random.default_rng(0)
    for k in range(120):
        bridge._torque_cmd = bridge._teacher_nm + rng.normal(0.0, 0.5 + 0.5 * (k % 7), 2)  # a noisy command
        bridge._step()
        if k == 79:
            bridge._on_fall({})  # a reset after 80 steps: a new episode starts
    ages = np.array(bridge._age_log)
    np.testing.assert_array_equal(ages, np.r_[np.arange(80), np.arange(40)])
    start = ages < 40  # 0.25 s at 160 Hz
    applied, teacher = np.array(bridge._applied_log), np.array(bridge._teacher_log)
    mass = bridge.env.sim.total_mass_kg
    s = bridge.summary()
    assert s["applied_vs_teacher_torque_starts"] == torque_agreement(applied[start], teacher[start], mass)
    assert s["applied_vs_teacher_torque_after_starts"] == torque_agreement(applied[~start], teacher[~start], mass)
    assert s["applied_vs_teacher_torque"] == torque_agreement(applied, teacher, mass)
    assert s["applied_vs_teacher_torque_starts"] != s["applied_vs_teacher_torque_after_starts"]
    rt.shutdown()
