"""Policy node: thigh gyro history -> student (ONNX Runtime) -> /exo/torque_request.

The student's rate and history length come from the ONNX file's metadata. At each tick the
latest flexion rate of each thigh (zero-order hold) enters the history; until the history is
full (or holds ``start_after_samples``, the rest zero as in distillation's rollouts from a reset),
or while a thigh has never reported, the request is zero. A ``/exo/policy/reset`` (data=true) empties
the history, so the student starts over as at launch rather than reading samples from before a
discontinuity (the sim bridge's reset of a fallen person). Non-finite gyro samples are
not fed to the network: the request is skipped, and the safety node's policy watchdog ramps
the command to zero if that persists.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from exo_control.policy.student_runner import StudentRunner
from exo_control.runtime.node import ExoNode, NodeHandle
from exo_interfaces import contract as c
from exo_interfaces import messages as m
from exo_interfaces.params import param


@dataclass(frozen=True, kw_only=True)
class PolicyConfig:
    """Parameters of the policy node (section ``policy``)."""

    policy_path: str = param("", "Student ONNX file; empty = the packaged default student.")
    threads: int = param(1, "ONNX Runtime intra-op threads.", ge=1, le=8)
    torque_scale: float = param(1.0, "Multiplier on the student's torques (assistance level).", ge=0.0, le=2.0)
    start_after_samples: int = param(
        0, "Gyro samples the history must hold before the student's torque is requested, the older "
        "entries zero as the student saw them at each reset in distillation; 0 = the whole history.", ge=0, le=100_000)


class PolicyNode(ExoNode):
    NAME = "policy"
    CONFIG = PolicyConfig
    SHUTDOWN_ORDER = 50

    def __init__(self, handle: NodeHandle, config: PolicyConfig):
        super().__init__(handle, config)
        from exo_control.policy.default_student import resolve_student_path

        self.student = StudentRunner(resolve_student_path(config.policy_path), threads=config.threads)
        meta = self.student.metadata
        if config.start_after_samples > meta.history:
            raise ValueError(f"policy.start_after_samples {config.start_after_samples} is longer than the student's "
                             f"history ({meta.history} samples, {self.student.path.name})")
        self.history = np.zeros((2, meta.history), dtype=np.float32)
        self._filled = 0
        self._needed = config.start_after_samples or meta.history
        self._latest = [math.nan, math.nan]
        self._pub = handle.create_publisher(c.TORQUE_REQUEST)
        handle.create_subscription(c.IMU_LEFT_THIGH, self._make_gyro_cb(0))
        handle.create_subscription(c.IMU_RIGHT_THIGH, self._make_gyro_cb(1))
        handle.create_subscription(c.POLICY_RESET, self._on_reset)
        handle.create_timer(1.0 / meta.rate_hz, self._tick)
        self.log.info(f"student {self.student.path.name}: {meta.history} samples at {meta.rate_hz:g} Hz")

    def _make_gyro_cb(self, side: int) -> Any:
        def on_imu(msg: Any) -> None:
            self._latest[side] = m.sagittal_rate(msg)

        on_imu.__name__ = f"on_imu_{c.SIDES[side]}"
        return on_imu

    def _on_reset(self, msg: Any) -> None:
        if msg.data:
            self.history[:] = 0.0
            self._filled = 0

    def _tick(self) -> None:
        sample = np.array(self._latest, dtype=np.float32)
        if not np.all(np.isfinite(sample)):
            return  # no data yet, or a bad sample: publish nothing (safety watchdog acts)
        self.history[:, :-1] = self.history[:, 1:]
        self.history[:, -1] = sample
        self._filled = min(self._filled + 1, self.history.shape[1])
        if self._filled < self._needed:
            torque = np.zeros(2)
        else:
            torque = self.config.torque_scale * self.student(self.history)
        self._pub.publish(m.joint_state_msg(self.handle.now_ns(), effort_nm=torque))


def main() -> int:
    from exo_control.runtime.rclpy_backend import main_for

    return main_for(PolicyNode)()
