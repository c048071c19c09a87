"""AK-series motor driver in MIT mode, used as a pure torque source.

Joint frame vs motor frame: the exo's joint frame is hip-flexion positive with zero at the
calibrated neutral posture. ``direction`` (+1/-1) says whether motor-positive is flexion;
``zero_offset_rad`` is the unwrapped motor position at joint zero:
    joint_angle = direction * (motor_angle - zero_offset)
    joint_velocity = direction * motor_velocity;  joint_torque = direction * motor_torque

Lifecycle: construct (no frames sent) -> ``enable()`` -> ``command_torque()`` at the control
rate, ``poll()`` for replies -> ``disable()``. Use it as a context manager to be sure the
motor is left in zero torque and out of motor mode.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from types import TracebackType
from typing import Literal, Self

import can

from exo_control.drivers.ak_bus import AKMotorBus
from exo_control.drivers.ak_models import (
    Firmware,
    ModelName,
    MotorConstants,
    MotorRanges,
    constants_for,
    ranges_for,
)
from exo_control.drivers.ak_protocol import (
    ZERO_TORQUE,
    CanFrame,
    MitCommand,
    MotorReply,
    SpecialCommand,
    decode_legacy_reply,
    decode_v3_reply,
    encode_command,
    encode_special,
    error_name,
)
from exo_control.drivers.diagnostics import ERROR, OK, STALE, WARN, DiagnosticReport
from exo_control.drivers.errors import (
    MotorError,
    MotorFaultError,
    MotorStateError,
    MotorTimeoutError,
    NonFiniteCommandError,
)
from exo_interfaces.params import check_fields

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class AKMotorConfig:
    """Static configuration of one AK motor (one hip)."""

    name: str = field(default="motor", metadata={"doc": "Label used in logs and errors, e.g. 'left_hip'."})
    model: ModelName = field(default="AK80-9", metadata={"doc": "Actuator model: selects the encoding ranges."})
    firmware: Firmware = field(default="legacy", metadata={"doc": "'legacy' (standard ids) or 'v3' (extended ids)."})
    can_id: int = field(default=1, metadata={"doc": "Motor CAN id (lab: 1 left, 2 right).", "ge": 1, "le": 255})
    direction: Literal[1, -1] = field(default=1, metadata={"doc": "+1 if motor-positive is hip flexion, else -1."})
    zero_offset_rad: float = field(
        default=0.0,
        metadata={"doc": "Motor position (rad, motor frame) at joint angle zero.", "ge": -12.56, "le": 12.56},
    )
    torque_limit_nm: float = field(
        default=10.0,
        metadata={"doc": "Joint torque magnitude limit (Nm); never above the model rating.", "gt": 0.0, "le": 144.0},
    )
    reply_timeout_s: float = field(
        default=0.05, metadata={"doc": "Longest wait for a reply (s).", "ge": 0.001, "le": 1.0},
    )
    max_temperature_c: float = field(
        default=80.0, metadata={"doc": "Measured temperature that latches a fault (deg C).", "ge": 20.0, "le": 120.0},
    )

    def __post_init__(self) -> None:
        check_fields(self)
        rated = self.ranges.rated_torque_nm
        if self.torque_limit_nm > rated:
            raise ValueError(
                f"AKMotorConfig.torque_limit_nm={self.torque_limit_nm!r} exceeds the {self.model} "
                f"({self.firmware}) rating; allowed: > 0 and <= {rated}"
            )

    @property
    def ranges(self) -> MotorRanges:
        return ranges_for(self.model, self.firmware)

    @property
    def constants(self) -> MotorConstants:
        return constants_for(self.model)


@dataclass(frozen=True)
class MotorState:
    """Latest reply, converted to the joint frame. ``timestamp_s`` is ``time.monotonic()``
    at reception; position is unwrapped across the encoder-range wrap."""

    timestamp_s: float
    position_rad: float
    velocity_rad_s: float
    torque_nm: float
    temperature_c: float | None
    error_code: int | None
    motor_position_rad: float

    @property
    def error_name(self) -> str:
        return error_name(self.error_code)


class _Unwrapper:
    """Turns a position that wraps with period ``span`` into a continuous one. Valid while
    the motor moves less than half a span between replies (12.5 rad for legacy ranges)."""

    def __init__(self) -> None:
        self._last_raw: float | None = None
        self._value = 0.0

    def reset(self) -> None:
        self._last_raw = None

    def update(self, raw: float, span: float) -> float:
        if self._last_raw is None:
            self._value = raw
        else:
            delta = raw - self._last_raw
            delta -= span * math.floor(delta / span + 0.5)
            self._value += delta
        self._last_raw = raw
        return self._value


class AKMotor:
    """One AK motor on a shared ``AKMotorBus`` (or a python-can bus it wraps privately).

    Not thread-safe: call every method from the control thread.
    """

    def __init__(self, config: AKMotorConfig, bus: can.BusABC | AKMotorBus) -> None:
        self._config = config
        self._ranges = config.ranges
        self._constants = config.constants
        self._router = bus if isinstance(bus, AKMotorBus) else AKMotorBus(bus)
        self._clock = self._router.clock
        self._enabled = False
        self._fault: str | None = None
        self._state: MotorState | None = None
        self._unwrap = _Unwrapper()
        self._clamping = False
        self.replies_received = 0
        self.replies_missed = 0
        self.clamp_count = 0
        self.last_command_time_s: float | None = None
        self.last_reply_latency_s: float | None = None
        self.commanded_torque_nm = 0.0
        self._replies_at_last_command = 0
        self._router.register(self)

    # --- identity (ReplyHandler protocol) ----------------------------------------------

    @property
    def can_id(self) -> int:
        return self._config.can_id

    @property
    def firmware(self) -> str:
        return self._config.firmware

    @property
    def config(self) -> AKMotorConfig:
        return self._config

    @property
    def router(self) -> AKMotorBus:
        return self._router

    @property
    def enabled(self) -> bool:
        return self._enabled

    @property
    def fault(self) -> str | None:
        """Latched fault description, or None."""
        return self._fault

    @property
    def state(self) -> MotorState | None:
        """Latest state, or None before the first reply."""
        return self._state

    def reply_age_s(self) -> float:
        """Seconds since the last reply (inf if none): the watchdog input."""
        if self._state is None:
            return math.inf
        return self._clock() - self._state.timestamp_s

    def diagnostics(self, *, stale_after_s: float | None = None) -> DiagnosticReport:
        """Health for /diagnostics: STALE without a recent reply, ERROR on a latched fault,
        WARN while clamping or within 10 C of the temperature limit, else OK."""
        stale_s = 4.0 * self._config.reply_timeout_s if stale_after_s is None else stale_after_s
        s = self._state
        age = self.reply_age_s()
        values = {
            "enabled": str(self._enabled),
            "replies_received": str(self.replies_received),
            "replies_missed": str(self.replies_missed),
            "reply_age_s": f"{age:.3f}",
            "commanded_torque_nm": f"{self.commanded_torque_nm:.3f}",
            "malformed_frames": str(self._router.malformed_frames),
            "unknown_id_frames": str(self._router.unknown_id_frames),
        }
        if self.last_reply_latency_s is not None:
            values["reply_latency_ms"] = f"{self.last_reply_latency_s * 1e3:.3f}"
        if s is not None:
            values["error_code"] = str(s.error_code)
            values["error_name"] = s.error_name
            values["position_rad"] = f"{s.position_rad:.4f}"
            if s.temperature_c is not None:
                values["temperature_c"] = f"{s.temperature_c:.1f}"
        if self._fault is not None:
            level, message = ERROR, f"fault: {self._fault}"
        elif age > stale_s:
            level, message = STALE, "no reply yet" if s is None else f"no reply for {age:.2f} s"
        elif self._clamping:
            level, message = WARN, f"torque clamped at {self._config.torque_limit_nm} Nm"
        elif s is not None and s.temperature_c is not None and s.temperature_c > self._config.max_temperature_c - 10:
            level, message = WARN, f"temperature {s.temperature_c:.0f} C near limit {self._config.max_temperature_c:.0f} C"
        else:
            level, message = OK, "enabled" if self._enabled else "disabled"
        return DiagnosticReport(self._config.name, level, message, values)

    def __repr__(self) -> str:
        c = self._config
        return f"AKMotor({c.name!r}, {c.model} {c.firmware}, id={c.can_id}, enabled={self._enabled})"

    # --- lifecycle ---------------------------------------------------------------------

    def enable(self) -> None:
        """Enter motor mode without a torque kick.

        The firmware resumes the last set-point it holds when motor mode starts, so a
        zero-torque (kp = kd = 0) command goes out *before* 0xFC and again right after.
        Raises ``MotorTimeoutError`` if the motor does not answer.
        """
        if self._enabled:
            return
        self._router.poll(0.0)  # deliver stale replies now, so they cannot satisfy the waits
        self._send_command(ZERO_TORQUE, what="pre-enable zero torque")
        seen = self.replies_received
        self._send(encode_special(SpecialCommand.ENTER_MOTOR_MODE, self.can_id, self.firmware),
                   what="enter motor mode")
        if not self._router.wait_until(lambda: self.replies_received > seen, self._config.reply_timeout_s):
            self._try_exit_after_failure()
            raise MotorTimeoutError(
                f"{self._label()}: no reply to enter-motor-mode within {self._config.reply_timeout_s} s "
                f"(check power, CAN wiring/termination, id and firmware={self.firmware!r})"
            )
        self._enabled = True
        try:
            self._send_command(ZERO_TORQUE, what="post-enable zero torque")
            self.wait_for_reply()
        except MotorError:
            self._enabled = False
            self._try_exit_after_failure()
            raise
        log.info("%s enabled (position %.3f rad)", self._label(),
                 self._state.position_rad if self._state else float("nan"))

    def disable(self) -> None:
        """Zero torque, then leave motor mode. Idempotent; the motor is marked disabled even
        if a send fails (the failure is raised after)."""
        if not self._enabled:
            return
        self._enabled = False
        try:
            self._send_command(ZERO_TORQUE, what="disable zero torque")
        finally:
            self._send(encode_special(SpecialCommand.EXIT_MOTOR_MODE, self.can_id, self.firmware),
                       what="exit motor mode")
        self._router.poll(0.0)
        log.info("%s disabled", self._label())

    def zero(self, *, permanent: bool = False) -> None:
        """Make the current position the motor's zero (0xFE legacy, set-origin V3) and wait
        for the reply. ``permanent`` only matters on V3 (origin written to flash)."""
        self._router.poll(0.0)
        seen = self.replies_received
        self._send(encode_special(SpecialCommand.SET_ZERO, self.can_id, self.firmware,
                                  permanent_origin=permanent), what="set zero")
        self._unwrap.reset()  # the reported position jumps to 0: not a motion
        if not self._router.wait_until(lambda: self.replies_received > seen, self._config.reply_timeout_s):
            raise MotorTimeoutError(f"{self._label()}: no reply to set-zero within {self._config.reply_timeout_s} s")
        log.info("%s zeroed", self._label())

    def __enter__(self) -> Self:
        self.enable()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        try:
            self.disable()
        except MotorError:
            if exc is None:
                raise
            log.exception("%s: disable failed while handling another error", self._label())

    # --- commands ----------------------------------------------------------------------

    def command_torque(self, torque_nm: float) -> float:
        """Send a joint-frame torque (Nm, flexion positive) with kp = kd = 0.

        Clamps to ``torque_limit_nm`` (logged). NaN/inf, or a latched fault, send zero
        torque and raise. Returns the torque actually commanded (joint frame)."""
        if not self._enabled:
            raise MotorStateError(f"{self._label()}: command_torque() needs an enabled motor; call enable() first")
        if not math.isfinite(torque_nm):
            self._send_command(ZERO_TORQUE, what="zero torque after non-finite request")
            self.commanded_torque_nm = 0.0
            raise NonFiniteCommandError(f"{self._label()}: torque request {torque_nm!r} is not finite; sent zero torque")
        if self._fault is not None:
            self._send_command(ZERO_TORQUE, what="zero torque while faulted")
            self.commanded_torque_nm = 0.0
            raise MotorFaultError(f"{self._label()}: faulted ({self._fault}); sent zero torque. clear_fault() to resume")
        limit = self._config.torque_limit_nm
        tau = min(max(torque_nm, -limit), limit)
        self._note_clamp(torque_nm, tau)
        self._send_command(MitCommand(torque_nm=self._config.direction * tau), what="torque command")
        self.commanded_torque_nm = tau
        return tau

    def clear_fault(self) -> None:
        """Unlatch a fault once the latest reply shows no error and a safe temperature."""
        s = self._state
        if s is None or (s.error_code or 0) != 0:
            raise MotorFaultError(f"{self._label()}: cannot clear fault, motor still reports "
                                  f"{s.error_name if s else 'nothing (no reply yet)'}")
        if s.temperature_c is not None and s.temperature_c > self._config.max_temperature_c:
            raise MotorFaultError(f"{self._label()}: cannot clear fault, temperature {s.temperature_c} C "
                                  f"> {self._config.max_temperature_c} C")
        self._fault = None

    # --- replies -----------------------------------------------------------------------

    def poll(self, timeout_s: float = 0.0) -> MotorState | None:
        """Process queued frames on the bus (for every motor on it); return this state."""
        self._router.poll(timeout_s)
        return self._state

    def wait_for_reply(self, timeout_s: float | None = None) -> MotorState:
        """Wait for a reply newer than the last command; ``MotorTimeoutError`` otherwise."""
        timeout = self._config.reply_timeout_s if timeout_s is None else timeout_s
        seen = self._replies_at_last_command

        if not self._router.wait_until(lambda: self.replies_received > seen, timeout) or self._state is None:
            self.replies_missed += 1
            raise MotorTimeoutError(f"{self._label()}: no reply within {timeout} s "
                                    f"({self.replies_missed} missed so far)")
        return self._state

    def handle_message(self, msg: can.Message, rx_time_s: float) -> None:
        """Decode a frame the router attributed to this motor and update the state."""
        data = bytes(msg.data)
        if self.firmware == "v3":
            reply = decode_v3_reply(msg.arbitration_id, data, self._constants)
        else:
            reply = decode_legacy_reply(data, self._ranges)
        self.handle_reply(reply, rx_time_s)

    def handle_reply(self, reply: MotorReply, rx_time_s: float | None = None) -> MotorState:
        """Update state from a decoded reply (motor frame in, joint frame stored)."""
        now = self._clock() if rx_time_s is None else rx_time_s
        c = self._config
        motor_pos = self._unwrap.update(reply.position_rad, reply.position_span_rad)
        self._state = MotorState(
            timestamp_s=now,
            position_rad=c.direction * (motor_pos - c.zero_offset_rad),
            velocity_rad_s=c.direction * reply.velocity_rad_s,
            torque_nm=c.direction * reply.torque_nm,
            temperature_c=reply.temperature_c,
            error_code=reply.error_code,
            motor_position_rad=motor_pos,
        )
        self.replies_received += 1
        if self.last_command_time_s is not None:
            self.last_reply_latency_s = now - self.last_command_time_s
        self._check_fault(self._state)
        return self._state

    # --- internals ---------------------------------------------------------------------

    def _check_fault(self, s: MotorState) -> None:
        if s.error_code not in (None, 0):
            reason = f"motor error code {s.error_code} ({s.error_name})"
        elif s.temperature_c is not None and s.temperature_c > self._config.max_temperature_c:
            reason = f"temperature {s.temperature_c:.0f} C above limit {self._config.max_temperature_c:.0f} C"
        else:
            return
        if self._fault is not None:
            return  # already latched; command_torque() keeps sending zero
        log.error("%s fault: %s", self._label(), reason)
        self._fault = reason
        if self._enabled:
            # zero the command at once, not at the next control tick
            self._send_command(ZERO_TORQUE, what="zero torque on fault")
            self.commanded_torque_nm = 0.0

    def _note_clamp(self, requested: float, tau: float) -> None:
        if requested == tau:
            self._clamping = False
            return
        self.clamp_count += 1
        if not self._clamping:  # log when clamping starts, not on every tick of it
            log.warning("%s: torque %.2f Nm clamped to %.2f Nm (limit %.2f)", self._label(), requested, tau,
                        self._config.torque_limit_nm)
        self._clamping = True

    def _send_command(self, cmd: MitCommand, *, what: str) -> None:
        frame = encode_command(cmd, self._ranges, self.can_id)
        if frame.clamped:
            log.debug("%s: %s clamped fields %s", self._label(), what, frame.clamped)
        self._replies_at_last_command = self.replies_received
        self.last_command_time_s = self._send(frame, what=what)

    def _send(self, frame: CanFrame, *, what: str) -> float:
        return self._router.send(frame, what=f"{what} for {self._label()}")

    def _try_exit_after_failure(self) -> None:
        try:
            self._send(encode_special(SpecialCommand.EXIT_MOTOR_MODE, self.can_id, self.firmware),
                       what="exit motor mode after failed enable")
        except MotorError:
            log.exception("%s: exit after failed enable could not be sent", self._label())

    def _label(self) -> str:
        c = self._config
        return f"motor {c.name!r} (id {c.can_id}, {c.model} {c.firmware})"
