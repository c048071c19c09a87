"""Hardware-in-the-loop harness: the hardware launch's real nodes against the emulators.

IMU driver (register-level emulators), motor driver (python-can, AK emulator thread), policy
(ONNX Runtime) and safety run on the in-process runtime's wall clock, exactly as
``hip-exo launch hardware --emulate`` runs them. Faults are injected into the emulators or on
the topics, and the harness measures how long the torque command takes to reach zero.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from exo_control.emulators.ak_emulator import AKEmulator
from exo_control.emulators.dry_run import emulated_hardware
from exo_control.nodes.imu_driver_node import ImuDriverConfig, ImuDriverNode
from exo_control.nodes.motor_driver_node import MotorDriverConfig, MotorDriverNode
from exo_control.nodes.policy_node import PolicyConfig, PolicyNode
from exo_control.nodes.safety_node import SafetyNode
from exo_control.runtime.inprocess import InProcessRuntime
from exo_control.safety.governor import SafetyConfig
from exo_interfaces import contract as c
from exo_interfaces import messages as m


@dataclass
class FaultResult:
    fault: str
    reaction: str  #: the latched safety faults
    detect_ms: float  #: injection -> safety fault latched
    to_zero_ms: float  #: injection -> torque command zero on both sides
    after_detect_ms: float  #: fault latched -> torque command zero
    bound_ms: float  #: two control periods plus the fault ramp


class HilStack:
    """Builds the hardware stack on emulators; use as a context manager."""

    def __init__(self, student_path: str | Path, *, safety: SafetyConfig | None = None, channel: str = "hil"):
        self.safety_cfg = safety or SafetyConfig(enable_on_start=True, soft_start_s=0.2)
        self._stack = ExitStack()
        configs = {
            "motor_driver": MotorDriverConfig(),
            "imu_driver": ImuDriverConfig(calibrate_on_start=False, emulated_standing_s=0.0),
        }
        hw = self._stack.enter_context(emulated_hardware(configs, channel=channel))
        cfg = hw.configs
        self.emulator: AKEmulator = hw.motor_emulators[0]
        self.rt = InProcessRuntime("wall")
        # LIFO: nodes shut down first (zero torque, exit motor mode), then the emulator gets a
        # moment to process those last frames before it stops.
        self._stack.callback(time.sleep, 0.05)
        self._stack.callback(self.rt.shutdown)
        self.imu_node: Any = self.rt.add_node(ImuDriverNode, cfg["imu_driver"])
        self.motor_node: Any = self.rt.add_node(MotorDriverNode, cfg["motor_driver"])
        self.rt.add_node(PolicyNode, PolicyConfig(policy_path=str(student_path)))
        self.safety: Any = self.rt.add_node(SafetyNode, self.safety_cfg)
        h = self.handle = self.rt.handle("hil")
        self.commands: list[tuple[float, np.ndarray]] = []
        self.fault_times: dict[str, float] = {}
        h.create_subscription(c.TORQUE_COMMAND, lambda msg: self.commands.append((time.monotonic(), m.joint_efforts(msg))))
        h.create_subscription(c.DIAGNOSTICS, self._on_diag)
        self.request_pub = h.create_publisher(c.TORQUE_REQUEST)
        self.estop_pub = h.create_publisher(c.ESTOP)

    def _on_diag(self, _msg: Any) -> None:
        now = time.monotonic()
        for name in self.safety.governor.faults:
            self.fault_times.setdefault(name, now)

    def __enter__(self) -> HilStack:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def run(self, seconds: float) -> None:
        self.rt.spin(seconds)

    def inject(self, fault: str, action: Callable[[HilStack], None], *, settle_s: float = 0.6, after_s: float = 0.4
               ) -> FaultResult:
        """Assist for ``settle_s``, inject, run ``after_s``; measure the way to zero torque."""
        self.run(settle_s)
        if not self.commands or np.all(self.commands[-1][1] == 0):
            raise RuntimeError(f"{fault}: no assistance before injection; cannot measure")
        t0 = time.monotonic()
        action(self)
        self.run(after_s)
        zero = next((t for t, cmd in self.commands if t >= t0 and np.all(cmd == 0)), float("nan"))
        latched = [t for t in self.fault_times.values() if t >= t0]
        detect = min(latched) if latched else float("nan")
        cfg = self.safety_cfg
        return FaultResult(
            fault=fault,
            reaction=", ".join(sorted(self.safety.governor.faults)) or "none",
            detect_ms=(detect - t0) * 1e3,
            to_zero_ms=(zero - t0) * 1e3,
            after_detect_ms=(zero - detect) * 1e3,
            bound_ms=(2.0 / cfg.rate_hz + cfg.fault_ramp_s) * 1e3,
        )


def _motor_fault(**fields: Any) -> Callable[[HilStack], None]:
    def act(stack: HilStack) -> None:
        stack.emulator.faults[1] = dataclasses.replace(stack.emulator.faults[1], **fields)

    return act


def _imu_nack(stack: HilStack) -> None:
    stack.imu_node.smbus.devices(0)[0].nack = True  # left thigh


def _nan_request(stack: HilStack) -> None:
    stack.request_pub.publish(m.joint_state_msg(stack.handle.now_ns(), effort_nm=np.array([np.nan, 1.0])))


def _estop(stack: HilStack) -> None:
    stack.estop_pub.publish(m.Bool(data=True))


def _over_temperature(stack: HilStack) -> None:
    stack.emulator.set_temperature(1, 95.0)


#: Each fault the stack handles, and how to inject it.
FAULTS: dict[str, Callable[[HilStack], None]] = {
    "motor replies dropped": _motor_fault(drop_probability=1.0),
    "motor replies delayed 200 ms": _motor_fault(delay_s=0.2),
    "motor replies corrupted": _motor_fault(corrupt="garbage"),
    "motor error code (over-current)": _motor_fault(error_code=2),
    "motor over-temperature": _over_temperature,
    "CAN bus silence": _motor_fault(silent=True),
    "thigh IMU stops answering (I2C NACK)": _imu_nack,
    "NaN torque request": _nan_request,
    "e-stop": _estop,
}
