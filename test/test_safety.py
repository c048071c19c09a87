"""Safety governor rules (hand-computed) and the safety node's watchdogs through the runtime."""

from __future__ import annotations

import numpy as np
import pytest

from exo_control.nodes.safety_node import SafetyNode
from exo_control.runtime.inprocess import InProcessRuntime
from exo_control.safety.governor import SafetyConfig, SafetyGovernor
from exo_interfaces import contract as c
from exo_interfaces import messages as m
from exo_interfaces.params import ConfigError, from_mapping
from exo_interfaces.services import SetBoolRequest, TriggerRequest

DT = 0.005


def test_config_refuses_torque_above_motor_rating() -> None:
    with pytest.raises(ConfigError, match=r"torque_limit_nm: value 20.0 is out of range; allowed \(0.0, 18.0\]"):
        from_mapping(SafetyConfig, {"torque_limit_nm": 20.0}, source="safety")
    with pytest.raises(ConfigError, match="rate_hz"):
        from_mapping(SafetyConfig, {"rate_hz": 50.0}, source="safety")


def test_soft_start_ramps_and_clamps() -> None:
    g = SafetyGovernor(SafetyConfig(soft_start_s=0.1, slew_limit_nm_per_s=1e6, torque_limit_nm=10.0))
    g.set_request(np.array([30.0, -5.0]))
    g.enable(True)
    out = [g.step(DT) for _ in range(25)]
    # gain rises by dt/soft_start = 0.05 per step; request clamped to +/-10 Nm.
    np.testing.assert_allclose(out[0], [0.5, -0.25])
    np.testing.assert_allclose(out[9], [5.0, -2.5])
    np.testing.assert_allclose(out[-1], [10.0, -5.0])


def test_enabling_never_steps() -> None:
    g = SafetyGovernor(SafetyConfig(soft_start_s=0.0, slew_limit_nm_per_s=200.0))
    g.set_request(np.array([15.0, 15.0]))
    g.enable(True)
    outs = np.array([g.step(DT) for _ in range(40)])
    steps = np.abs(np.diff(np.vstack([np.zeros(2), outs]), axis=0))
    assert steps.max() <= 200.0 * DT + 1e-12  # 1 Nm per 5 ms period


def test_fault_ramps_to_zero_within_fault_ramp() -> None:
    cfg = SafetyConfig(soft_start_s=0.0, slew_limit_nm_per_s=1e6, fault_ramp_s=0.05)
    g = SafetyGovernor(cfg)
    g.set_request(np.array([15.0, -15.0]))
    g.enable(True)
    g.step(DT)
    g.fault("estop", "test")
    steps = 0
    while np.any(g.step(DT) != 0):
        steps += 1
    assert steps * DT <= cfg.fault_ramp_s
    ok, msg = g.enable(True)
    assert not ok and "estop" in msg


@pytest.mark.parametrize("bad", [[np.nan, 0.0], [0.0, np.inf], [1.0, 2.0, 3.0]])
def test_bad_request_latches_fault_and_is_not_used(bad: list[float]) -> None:
    g = SafetyGovernor(SafetyConfig(soft_start_s=0.0))
    g.enable(True)
    error = g.set_request(np.array(bad))
    assert error is not None and "policy_output_invalid" in g.faults
    out = g.step(DT)
    assert np.all(np.isfinite(out)) and np.all(out == 0.0)


def test_clear_faults_leaves_assistance_disabled() -> None:
    g = SafetyGovernor(SafetyConfig())
    g.fault("x", "y")
    assert g.clear_faults() == ["x"]
    assert not g.enabled and not g.faults
    assert g.enable(True)[0]


# -- the node, through the in-process runtime ---------------------------------------------

class Harness:
    """Feeds the safety node sensors and requests, records its commands and diagnostics."""

    def __init__(self, **cfg: object) -> None:
        self.rt = InProcessRuntime("sim")
        self.node = self.rt.add_node(SafetyNode, SafetyConfig(**cfg))  # type: ignore[arg-type]
        h = self.rt.handle("harness")
        self.pubs = {t.name: h.create_publisher(t) for t in (c.IMU_LEFT_THIGH, c.IMU_RIGHT_THIGH, c.JOINT_STATES, c.TORQUE_REQUEST, c.ESTOP)}
        self.commands: list[tuple[int, np.ndarray]] = []
        self.diagnostics: list[object] = []
        h.create_subscription(c.TORQUE_COMMAND, lambda msg: self.commands.append((h.now_ns(), m.joint_efforts(msg))))
        h.create_subscription(c.DIAGNOSTICS, self.diagnostics.append)
        self.request = np.array([10.0, -10.0])
        self.imu_alive = True
        h.create_timer(0.005, self.feed)
        self.h = h

    def feed(self) -> None:
        t = self.h.now_ns()
        if self.imu_alive:
            for topic in (c.IMU_LEFT_THIGH, c.IMU_RIGHT_THIGH):
                self.pubs[topic.name].publish(m.imu_msg(t, "x", np.zeros(3), np.array([0, 0, 9.81])))
        self.pubs[c.JOINT_STATES.name].publish(m.joint_state_msg(t, position_rad=np.zeros(2), velocity_rps=np.zeros(2), effort_nm=np.zeros(2)))
        self.pubs[c.TORQUE_REQUEST.name].publish(m.joint_state_msg(t, effort_nm=self.request))


def test_node_assists_after_enable_service() -> None:
    hs = Harness(soft_start_s=0.2)
    hs.rt.spin(0.1)
    assert all(np.all(cmd == 0) for _, cmd in hs.commands)
    assert hs.rt.call_service(c.SAFETY_ENABLE.name, SetBoolRequest(True)).success
    hs.rt.spin(0.5)
    np.testing.assert_allclose(hs.commands[-1][1], [10.0, -10.0])


def test_stale_imu_faults_and_torque_reaches_zero_in_bound() -> None:
    hs = Harness(enable_on_start=True, soft_start_s=0.0, fault_ramp_s=0.05, sensor_timeout_s=0.05)
    hs.rt.spin(0.5)
    assert np.allclose(hs.commands[-1][1], [10.0, -10.0])
    t_loss = hs.rt.now_ns()
    hs.imu_alive = False
    hs.rt.spin(0.5)
    t_zero = next(t for t, cmd in hs.commands if t > t_loss and np.all(cmd == 0))
    bound_s = 0.05 + 2 * 0.005 + 0.05  # timeout + two control periods + ramp
    assert (t_zero - t_loss) / 1e9 <= bound_s
    faults = hs.node.governor.faults
    assert any(k.startswith("stale:/exo/imu/") for k in faults)
    assert any(s.level == m.DIAG_ERROR for d in hs.diagnostics for s in d.status)


def test_estop_and_clear() -> None:
    hs = Harness(enable_on_start=True, soft_start_s=0.0)
    hs.rt.spin(0.2)
    hs.pubs[c.ESTOP.name].publish(m.Bool(data=True))
    hs.rt.spin(0.2)
    assert np.all(hs.commands[-1][1] == 0) and "estop" in hs.node.governor.faults
    assert not hs.rt.call_service(c.SAFETY_ENABLE.name, SetBoolRequest(True)).success
    assert hs.rt.call_service(c.SAFETY_CLEAR_FAULTS.name, TriggerRequest()).success
    assert hs.rt.call_service(c.SAFETY_ENABLE.name, SetBoolRequest(True)).success
    hs.rt.spin(0.5)
    assert np.allclose(hs.commands[-1][1], [10.0, -10.0])


def test_nan_request_faults_node() -> None:
    hs = Harness(enable_on_start=True, soft_start_s=0.0)
    hs.rt.spin(0.2)
    hs.request = np.array([np.nan, 1.0])
    hs.rt.spin(0.2)
    assert "policy_output_invalid" in hs.node.governor.faults
    assert all(np.all(np.isfinite(cmd)) for _, cmd in hs.commands)
    assert np.all(hs.commands[-1][1] == 0)


def test_reported_motor_error_and_temperature_fault() -> None:
    hs = Harness(enable_on_start=True, soft_start_s=0.0, max_motor_temperature_c=60.0)
    hs.rt.spin(0.1)
    diag = hs.h.create_publisher(c.DIAGNOSTICS)
    hot = m.diagnostic_status("motor_driver: left", m.DIAG_OK, "ok", {"temperature_c": "65.0"})
    diag.publish(m.diagnostic_array(hs.h.now_ns(), [hot]))
    hs.rt.spin(0.1)
    assert "over_temperature:motor_driver: left" in hs.node.governor.faults
    assert np.all(hs.commands[-1][1] == 0)


def test_shutdown_sends_zero_immediately() -> None:
    hs = Harness(enable_on_start=True, soft_start_s=0.0)
    hs.rt.spin(0.2)
    hs.rt.shutdown()
    assert np.all(hs.commands[-1][1] == 0)
