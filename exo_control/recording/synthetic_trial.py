"""A synthetic walker for tests, benchmarks and demos: realistic-looking exo traffic without a simulator.

:class:`SyntheticGaitNode` publishes both thigh IMUs, the pelvis IMU and the hip joint states at
``rate_hz`` for a steady gait (sinusoidal hip flexion, right leg half a stride behind the left),
plus a torque request shaped like hip assistance (flexion torque in swing, extension torque
after heel strike). The measured joint torque follows the safety node's command through a
first-order lag with noise, as a motor would. Seeded, so two runs give the same bag.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from exo_control.runtime.node import ExoNode, NodeHandle
from exo_interfaces import contract as c
from exo_interfaces import messages as m
from exo_interfaces.params import param

_G = np.array([0.0, 0.0, 9.81])


@dataclass(frozen=True, kw_only=True)
class SyntheticGaitConfig:
    """Parameters of the synthetic walker."""

    rate_hz: float = param(200.0, "Sensor and request rate (Hz).", gt=0.0, le=2000.0)
    stride_s: float = param(1.1, "Stride duration (s).", gt=0.2, le=5.0)
    hip_mean_rad: float = param(0.10, "Mean hip flexion angle (rad).")
    hip_amplitude_rad: float = param(0.35, "Hip flexion amplitude (rad).", ge=0.0, le=1.5)
    peak_torque_nm: float = param(8.0, "Peak requested assistance (Nm).", ge=0.0, le=18.0)
    motor_tau_s: float = param(0.01, "Time constant of the measured torque following the command (s).", gt=0.0)
    noise_nm: float = param(0.1, "Measured-torque noise (Nm, sd).", ge=0.0)
    gyro_noise_rps: float = param(0.02, "Gyro noise (rad/s, sd).", ge=0.0)
    seed: int = param(0, "Random seed.")


class SyntheticGaitNode(ExoNode):
    NAME = "synthetic_gait"
    CONFIG = SyntheticGaitConfig
    SHUTDOWN_ORDER = 500

    def __init__(self, handle: NodeHandle, config: SyntheticGaitConfig):
        super().__init__(handle, config)
        self._rng = np.random.default_rng(config.seed)
        self._dt = 1.0 / config.rate_hz
        self._t0 = handle.now_ns()
        self._command = np.zeros(2)
        self._measured = np.zeros(2)
        self.requests_enabled = True
        self._pubs = {t.name: handle.create_publisher(t) for t in
                      (c.IMU_LEFT_THIGH, c.IMU_RIGHT_THIGH, c.IMU_PELVIS, c.JOINT_STATES, c.TORQUE_REQUEST)}
        handle.create_subscription(c.TORQUE_COMMAND, self._on_command)
        handle.create_timer(self._dt, self._tick)

    def _on_command(self, msg: Any) -> None:
        self._command = m.joint_efforts(msg)

    def phase(self, t_s: float) -> np.ndarray:
        """Gait phase (rad) of the left and right leg at time ``t_s``."""
        w = 2 * math.pi / self.config.stride_s
        return np.array([w * t_s, w * t_s - math.pi])

    def _tick(self) -> None:
        cfg = self.config
        now = self.handle.now_ns()
        t = (now - self._t0) / 1e9
        ph = self.phase(t)
        w = 2 * math.pi / cfg.stride_s
        angle = cfg.hip_mean_rad + cfg.hip_amplitude_rad * np.sin(ph)
        rate = cfg.hip_amplitude_rad * w * np.cos(ph)
        gyro = rate + self._rng.normal(0.0, cfg.gyro_noise_rps, 2)
        # Assistance that leads the flexion rate a little: flexion torque in late stance and swing.
        request = cfg.peak_torque_nm * np.cos(ph - 0.3)
        alpha = 1.0 - math.exp(-self._dt / cfg.motor_tau_s)
        self._measured += alpha * (self._command - self._measured)
        measured = self._measured + self._rng.normal(0.0, cfg.noise_nm, 2)

        frames = (c.FRAME_LEFT_THIGH, c.FRAME_RIGHT_THIGH)
        for side, topic in enumerate(c.IMU_THIGH_TOPICS):
            # Flexion-positive rate is -angular_velocity.y (contract.SAGITTAL_GYRO_SIGN).
            g = np.array([0.0, c.SAGITTAL_GYRO_SIGN * gyro[side], 0.0])
            self._pubs[topic.name].publish(m.imu_msg(now, frames[side], g, _G))
        self._pubs[c.IMU_PELVIS.name].publish(m.imu_msg(now, c.FRAME_PELVIS, np.zeros(3), _G))
        self._pubs[c.JOINT_STATES.name].publish(
            m.joint_state_msg(now, position_rad=angle, velocity_rps=rate, effort_nm=measured)
        )
        if self.requests_enabled:
            self._pubs[c.TORQUE_REQUEST.name].publish(m.joint_state_msg(now, effort_nm=request))


def build_synthetic_trial(runtime: Any, recorder_config: Any | None = None, *,
                          gait: SyntheticGaitConfig | None = None, safety: Any | None = None) -> dict[str, ExoNode]:
    """Synthetic walker + safety node (assisting from the start) [+ recorder] on an in-process runtime."""
    from exo_control.nodes.safety_node import SafetyNode
    from exo_control.safety.governor import SafetyConfig

    nodes: dict[str, ExoNode] = {}
    nodes["gait"] = runtime.add_node(SyntheticGaitNode, gait or SyntheticGaitConfig())
    nodes["safety"] = runtime.add_node(SafetyNode, safety or SafetyConfig(enable_on_start=True, soft_start_s=0.5))
    if recorder_config is not None:
        from exo_control.nodes.recorder_node import RecorderNode

        nodes["recorder"] = runtime.add_node(RecorderNode, recorder_config)
    return nodes
