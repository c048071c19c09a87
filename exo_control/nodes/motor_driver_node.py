"""Motor driver node: /exo/torque_command -> AK-series MIT frames on CAN; replies -> /exo/joint_states.

Each tick (``rate_hz``) both motors get the latest safety-node command (zero if none arrived
for ``command_timeout_s``: the safety node is gone), the node waits briefly for both replies,
and publishes hip angle, velocity and measured torque (joint frame, flexion positive).
Motor faults (error codes, over-temperature, missing replies) are reported on /diagnostics at
once, where the safety node latches them; the driver itself sends zero torque to a faulted
motor. Shutdown sends zero torque and leaves motor mode.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import can
import numpy as np

from exo_control.drivers import diagnostics as dx
from exo_control.drivers.ak_bus import AKMotorBus
from exo_control.drivers.ak_motor import AKMotor, AKMotorConfig
from exo_control.drivers.errors import MotorError
from exo_control.drivers.network_guard import require_loopback_only
from exo_control.runtime.node import ExoNode, NodeHandle
from exo_interfaces import contract as c
from exo_interfaces import messages as m
from exo_interfaces.params import check_fields, param


@dataclass(frozen=True, kw_only=True)
class MotorDriverConfig:
    """Parameters of the motor driver (section ``motor_driver``)."""

    interface: str = param("socketcan", "python-can interface: socketcan on the device; virtual or udp_multicast for the emulator.")
    channel: str = param("can0", "CAN channel (SocketCAN interface name, virtual channel, or multicast group).")
    bitrate: int = param(1_000_000, "CAN bitrate (bit/s); AK motors use 1 Mbit/s.", ge=125_000, le=1_000_000)
    rate_hz: float = param(200.0, "Command and reply loop rate (Hz).", ge=100.0, le=500.0)
    reply_wait_s: float = param(0.002, "How long each tick waits for both replies (s).", ge=0.0, le=0.01)
    command_timeout_s: float = param(0.05, "No torque command for this long: send zero torque (s).", gt=0.0, le=1.0)
    zero_on_start: bool = param(False, "Set the current position as zero at start (legs in the reference pose).")
    diagnostics_rate_hz: float = param(2.0, "Rate of /diagnostics reports (Hz).", gt=0.0, le=50.0)
    left: AKMotorConfig = param(AKMotorConfig(name="left_hip", can_id=1, torque_limit_nm=15.0), "Left hip motor.")
    right: AKMotorConfig = param(AKMotorConfig(name="right_hip", can_id=2, direction=-1, torque_limit_nm=15.0),
                                 "Right hip motor (mirrored mounting: direction -1).")

    def __post_init__(self) -> None:
        check_fields(self)
        if self.left.can_id == self.right.can_id:
            raise ValueError(f"MotorDriverConfig: left and right motors share CAN id {self.left.can_id}")


class MotorDriverNode(ExoNode):
    NAME = "motor_driver"
    CONFIG = MotorDriverConfig
    SHUTDOWN_ORDER = 10

    def __init__(self, handle: NodeHandle, config: MotorDriverConfig):
        super().__init__(handle, config)
        kwargs: dict[str, Any] = {"interface": config.interface, "channel": config.channel}
        # SocketCAN takes its bitrate from the link (ip link set can0 type can bitrate 1000000);
        # the virtual and multicast buses have none; USB adapters (pcan, slcan, ...) need it.
        if config.interface not in ("socketcan", "virtual", "udp_multicast"):
            kwargs["bitrate"] = config.bitrate
        require_loopback_only(config.interface)
        self.bus = can.Bus(**kwargs)
        self.router = AKMotorBus(self.bus)
        self.motors = (AKMotor(config.left, self.router), AKMotor(config.right, self.router))
        try:
            for motor in self.motors:
                motor.enable()
                if config.zero_on_start:
                    motor.zero()
        except MotorError:
            self._disable_all()
            self.bus.shutdown()
            raise
        self._command = np.zeros(2)
        self._command_mono = time.monotonic()
        self._last_problem: dict[str, str] = {}
        self._pub = handle.create_publisher(c.JOINT_STATES)
        self._diag = handle.create_publisher(c.DIAGNOSTICS)
        handle.create_subscription(c.TORQUE_COMMAND, self._on_command)
        handle.create_timer(1.0 / config.rate_hz, self._tick)
        handle.create_timer(1.0 / config.diagnostics_rate_hz, self._publish_diagnostics)
        self.log.info(f"motors enabled on {config.interface}:{config.channel} "
                      f"(ids {config.left.can_id}, {config.right.can_id})")

    def _on_command(self, msg: Any) -> None:
        try:
            torque = m.joint_efforts(msg)
        except ValueError as exc:
            self.log.error(f"ignoring torque command: {exc}")
            return
        self._command = np.where(np.isfinite(torque), torque, 0.0)
        self._command_mono = time.monotonic()

    def _tick(self) -> None:
        stale = time.monotonic() - self._command_mono > self.config.command_timeout_s
        command = np.zeros(2) if stale else self._command
        before = [mo.replies_received for mo in self.motors]
        for motor, tau in zip(self.motors, command):
            try:
                motor.command_torque(float(tau))
            except MotorError as exc:
                self._report(motor, motor.fault or str(exc))
        self.router.wait_until(
            lambda: all(mo.replies_received > b for mo, b in zip(self.motors, before)), self.config.reply_wait_s
        )
        states = [mo.state for mo in self.motors]
        if all(s is not None for s in states):
            pos = np.array([s.position_rad for s in states])  # type: ignore[union-attr]
            vel = np.array([s.velocity_rad_s for s in states])  # type: ignore[union-attr]
            eff = np.array([s.torque_nm for s in states])  # type: ignore[union-attr]
            self._pub.publish(m.joint_state_msg(self.handle.now_ns(), position_rad=pos, velocity_rps=vel, effort_nm=eff))
        for motor in self.motors:
            if motor.fault is not None:
                self._report(motor, motor.fault)
            elif motor.reply_age_s() > motor.config.reply_timeout_s:
                self._report(motor, f"no reply for more than {motor.config.reply_timeout_s * 1e3:.0f} ms")
            else:
                self._last_problem.pop(motor.config.name, None)

    def _report(self, motor: AKMotor, why: str) -> None:
        """Publish a motor's diagnostics now (once per distinct problem)."""
        if self._last_problem.get(motor.config.name) == why:
            return
        self._last_problem[motor.config.name] = why
        self.log.error(f"{motor.config.name}: {why}")
        self._publish_diagnostics()

    def _publish_diagnostics(self) -> None:
        statuses = []
        for motor in self.motors:
            report = motor.diagnostics(stale_after_s=motor.config.reply_timeout_s)
            values = dict(report.values)
            level = report.level
            if motor.fault is not None and level < dx.ERROR:
                level = dx.ERROR
            statuses.append(m.diagnostic_status(f"{self.handle.name}: {motor.config.name}", level, report.message, values))
        self._diag.publish(m.diagnostic_array(self.handle.now_ns(), statuses))

    def _disable_all(self) -> None:
        for motor in self.motors:
            try:
                motor.disable()
            except MotorError as exc:
                self.log.error(f"{motor.config.name}: disable failed: {exc}")

    def shutdown(self) -> None:
        self._disable_all()
        self.bus.shutdown()


def main() -> int:
    from exo_control.runtime.rclpy_backend import main_for

    return main_for(MotorDriverNode)()
