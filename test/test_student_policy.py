"""Student export (ONNX + metadata, parity with PyTorch) and the policy node on ONNX Runtime."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import onnx
import pytest
import torch

from exo_control.nodes.policy_node import PolicyConfig, PolicyNode
from exo_control.policy.student_runner import StudentLoadError, StudentRunner
from exo_control.runtime.inprocess import InProcessRuntime
from exo_interfaces import contract as c
from exo_interfaces import messages as m
from exo_interfaces.student_io import METADATA_KEY, StudentMetadata
from exo_sim.learning.export import export_student, parity_error
from exo_sim.learning.student import StudentConfig, StudentTCN


@pytest.fixture(scope="module")
def student(tmp_path_factory: pytest.TempPathFactory) -> tuple[StudentTCN, Path]:
    torch.manual_seed(0)
    model = StudentTCN(StudentConfig(history=40, rate_hz=100.0))
    path = tmp_path_factory.mktemp("student") / "student.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        export_student(model, path, training_command="test")
    return model, path


def test_onnx_matches_pytorch(student: tuple[StudentTCN, Path]) -> None:
    model, path = student
    inputs = np.random.default_rng(0).normal(scale=2.0, size=(32, 2, 40))
    assert parity_error(model, path, inputs) <= 1e-5


def test_metadata_travels_with_the_file(student: tuple[StudentTCN, Path]) -> None:
    _, path = student
    props = {p.key: p.value for p in onnx.load(str(path)).metadata_props}
    meta = StudentMetadata.from_json(props[METADATA_KEY])
    assert (meta.history, meta.rate_hz, meta.training_command) == (40, 100.0, "test")
    assert StudentRunner(path).metadata == meta


def test_output_is_bounded_by_the_cap() -> None:
    model = StudentTCN(StudentConfig(history=16, torque_limit_nm=5.0))
    with torch.no_grad():
        out = model(torch.full((4, 2, 16), 1e6))
    assert torch.all(out.abs() <= 5.0)


def test_student_is_causal() -> None:
    """Changing the newest sample changes the output; only the last receptive field matters."""
    cfg = StudentConfig(history=80, dilations=(1, 2), kernel_size=3, dropout=0.0)
    model = StudentTCN(cfg).eval()
    x = torch.randn(1, 2, 80)
    y = x.clone()
    y[:, :, : 80 - cfg.receptive_field] = 5.0  # outside the receptive field
    with torch.no_grad():
        assert torch.allclose(model(x), model(y))
        y[:, :, -1] += 1.0
        assert not torch.allclose(model(x), model(y))


def test_bad_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(StudentLoadError, match="not found"):
        StudentRunner(tmp_path / "missing.onnx")
    junk = tmp_path / "junk.onnx"
    junk.write_bytes(b"not onnx")
    with pytest.raises(StudentLoadError, match="cannot load"):
        StudentRunner(junk)


def test_metadata_contract_is_checked() -> None:
    with pytest.raises(ValueError, match="does not match the contract"):
        StudentMetadata(rate_hz=100.0, history=10, output_joints=("hip_flexion_r", "hip_flexion_l"))


def test_policy_node_runs_student_on_gyro(student: tuple[StudentTCN, Path]) -> None:
    model, path = student
    rt = InProcessRuntime("sim")
    rt.add_node(PolicyNode, PolicyConfig(policy_path=str(path)))
    h = rt.handle("feeder")
    pubs = [h.create_publisher(t) for t in c.IMU_THIGH_TOPICS]
    requests: list[np.ndarray] = []
    h.create_subscription(c.TORQUE_REQUEST, lambda msg: requests.append(m.joint_efforts(msg)))
    rates: list[tuple[float, float]] = []

    def feed() -> None:
        t = h.now_ns() / 1e9
        left, right = np.sin(2 * np.pi * t), np.cos(2 * np.pi * t)
        rates.append((left, right))
        # Flexion-positive rate is -gyro_y (contract): publish the sensor-frame value.
        pubs[0].publish(m.imu_msg(h.now_ns(), c.FRAME_LEFT_THIGH, np.array([0.0, -left, 0.0]), np.zeros(3)))
        pubs[1].publish(m.imu_msg(h.now_ns(), c.FRAME_RIGHT_THIGH, np.array([0.0, -right, 0.0]), np.zeros(3)))

    h.create_timer(0.01, feed)
    rt.spin(1.0)
    assert len(requests) >= 90
    assert all(np.all(r == 0) for r in requests[:30])  # history still filling
    # The node's last request equals the student on the last 40 samples it saw; the policy's
    # timer was created first, so at each tick it sees the feeder's previous sample.
    history = np.array(rates[-41:-1]).T[None]
    with torch.no_grad():
        expected = model.eval()(torch.as_tensor(history, dtype=torch.float32)).numpy()[0]
    np.testing.assert_allclose(requests[-1], expected, atol=1e-5)


def test_policy_node_can_start_on_a_zero_padded_history(student: tuple[StudentTCN, Path]) -> None:
    """With start_after_samples, the student acts once the history holds that many samples, the
    older entries zero (as distillation rollouts start from a reset); more than the history is refused."""
    model, path = student
    rt = InProcessRuntime("sim")
    rt.add_node(PolicyNode, PolicyConfig(policy_path=str(path), start_after_samples=5))
    h = rt.handle("feeder")
    pubs = [h.create_publisher(t) for t in c.IMU_THIGH_TOPICS]
    requests: list[np.ndarray] = []
    h.create_subscription(c.TORQUE_REQUEST, lambda msg: requests.append(m.joint_efforts(msg)))
    for pub, frame in zip(pubs, (c.FRAME_LEFT_THIGH, c.FRAME_RIGHT_THIGH)):
        pub.publish(m.imu_msg(0, frame, np.array([0.0, -0.5, 0.0]), np.zeros(3)))  # flexion rate 0.5 rad/s, held
    rt.spin(0.1)
    assert all(np.all(r == 0) for r in requests[:4])
    history = np.zeros((1, 2, 40), dtype=np.float32)
    history[..., -5:] = 0.5
    with torch.no_grad():
        expected = model.eval()(torch.as_tensor(history)).numpy()[0]
    assert np.any(expected != 0)
    np.testing.assert_allclose(requests[4], expected, atol=1e-5)

    with pytest.raises(ValueError, match="start_after_samples 41 is longer than the student's history"):
        InProcessRuntime("sim").add_node(PolicyNode, PolicyConfig(policy_path=str(path), start_after_samples=41))


def test_policy_reset_empties_the_history(student: tuple[StudentTCN, Path]) -> None:
    """After /exo/policy/reset the student starts over: zero requests until the history refills,
    and then only samples from after the reset (the sim bridge's fall-reset is a discontinuity)."""
    model, path = student
    rt = InProcessRuntime("sim")
    rt.add_node(PolicyNode, PolicyConfig(policy_path=str(path), start_after_samples=5))
    h = rt.handle("feeder")
    pubs = [h.create_publisher(t) for t in c.IMU_THIGH_TOPICS]
    reset = h.create_publisher(c.POLICY_RESET)
    requests: list[np.ndarray] = []
    h.create_subscription(c.TORQUE_REQUEST, lambda msg: requests.append(m.joint_efforts(msg)))

    def feed(rate_rps: float) -> None:
        for pub, frame in zip(pubs, (c.FRAME_LEFT_THIGH, c.FRAME_RIGHT_THIGH)):
            pub.publish(m.imu_msg(h.now_ns(), frame, np.array([0.0, -rate_rps, 0.0]), np.zeros(3)))

    feed(2.0)
    rt.spin(0.5)  # a full history of 2 rad/s: the student acts
    assert np.any(requests[-1] != 0)
    reset.publish(m.Bool(data=False))  # data=false is not a reset
    feed(-1.0)
    before = len(requests)
    rt.spin(0.0125)
    assert np.any(requests[before] != 0)
    reset.publish(m.Bool(data=True))
    before = len(requests)
    rt.spin(0.2)
    after = requests[before:]
    assert all(np.all(r == 0) for r in after[:4])
    history = np.zeros((1, 2, 40), dtype=np.float32)
    history[..., -5:] = -1.0  # nothing of the 2 rad/s before the reset
    with torch.no_grad():
        expected = model.eval()(torch.as_tensor(history)).numpy()[0]
    np.testing.assert_allclose(after[4], expected, atol=1e-5)
