"""One CAN bus shared by several AK motors: sends frames and routes replies by motor id.

Every motor on a bus registers here, so a reply read while waiting for motor 1 is delivered
to motor 2 instead of being lost. Frames that belong to nobody are counted and logged (or
raised with ``strict=True``), never silently dropped.

Frame classification:
- extended 0x2900 + id: V3 reply; 0x800 + id / 0x500 + id: V3 command / set-origin (some
  host's commands, ignored).
- standard id equal to a registered legacy motor's id: a command (another host's, or an
  echo), ignored. Any other standard frame is a legacy reply whose motor id is D0
  (the firmware answers on the master id, usually 0).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

import can

from exo_control.drivers.ak_protocol import (
    CanFrame,
    legacy_reply_motor_id,
    v3_reply_motor_id,
)
from exo_control.drivers.errors import (
    MalformedFrameError,
    MotorBusError,
    MotorProtocolError,
    MotorSendError,
    UnknownMotorError,
)

log = logging.getLogger(__name__)

Clock = Callable[[], float]


class ReplyHandler(Protocol):
    """What the router needs from a motor driver."""

    @property
    def can_id(self) -> int: ...

    @property
    def firmware(self) -> str: ...

    def handle_message(self, msg: can.Message, rx_time_s: float) -> None: ...


class AKMotorBus:
    """Shared sender/receiver for AK motors on one python-can bus (not thread-safe: use it
    from the control thread only)."""

    def __init__(self, bus: can.BusABC, *, strict: bool = False, clock: Clock = time.monotonic,
                 send_timeout_s: float = 0.01) -> None:
        self._bus = bus
        self._strict = strict
        self._clock = clock
        self._send_timeout_s = send_timeout_s
        self._legacy: dict[int, ReplyHandler] = {}
        self._v3: dict[int, ReplyHandler] = {}
        self.unknown_id_frames = 0
        self.malformed_frames = 0
        self.ignored_frames = 0
        self.error_frames = 0
        self.last_problem: str | None = None
        self._problem_count = 0

    @property
    def bus(self) -> can.BusABC:
        return self._bus

    @property
    def clock(self) -> Clock:
        return self._clock

    @property
    def motor_ids(self) -> tuple[int, ...]:
        return tuple(sorted({*self._legacy, *self._v3}))

    def register(self, handler: ReplyHandler) -> None:
        """Route replies for ``handler.can_id`` to ``handler``; ids must be unique per bus."""
        if handler.can_id in self._legacy or handler.can_id in self._v3:
            raise ValueError(f"motor id {handler.can_id} is already registered on this bus")
        table = self._v3 if handler.firmware == "v3" else self._legacy
        table[handler.can_id] = handler

    def unregister(self, can_id: int) -> None:
        self._legacy.pop(can_id, None)
        self._v3.pop(can_id, None)

    # --- sending -----------------------------------------------------------------------

    def send(self, frame: CanFrame, *, what: str) -> float:
        """Send ``frame``; return the monotonic send time. Failures raise ``MotorSendError``."""
        msg = can.Message(arbitration_id=frame.arbitration_id, is_extended_id=frame.is_extended_id,
                          data=frame.data)
        try:
            self._bus.send(msg, timeout=self._send_timeout_s)
        except can.CanError as exc:
            raise MotorSendError(
                f"CAN send of {what} (id 0x{frame.arbitration_id:X}) failed on "
                f"{self._bus.channel_info}: {exc}"
            ) from exc
        return self._clock()

    # --- receiving ---------------------------------------------------------------------

    def poll(self, timeout_s: float = 0.0) -> int:
        """Wait up to ``timeout_s`` for a first frame, then drain what is queued without
        waiting; dispatch each. Returns the number of replies delivered to motors."""
        delivered = 0
        msg = self._recv(timeout_s)
        while msg is not None:
            if self.dispatch(msg):
                delivered += 1
            msg = self._recv(0.0)
        return delivered

    def wait_until(self, done: Callable[[], bool], timeout_s: float) -> bool:
        """Poll until ``done()`` is true or ``timeout_s`` has passed (monotonic clock)."""
        deadline = self._clock() + timeout_s
        while not done():
            remaining = deadline - self._clock()
            if remaining <= 0.0:
                return done()
            self.poll(min(remaining, 0.01))
        return True

    def _recv(self, timeout_s: float) -> can.Message | None:
        try:
            return self._bus.recv(timeout=timeout_s)
        except can.CanError as exc:
            raise MotorBusError(f"CAN receive failed on {self._bus.channel_info}: {exc}") from exc

    def dispatch(self, msg: can.Message) -> bool:
        """Route one received frame. True if a motor consumed it as a reply."""
        rx_time = self._clock()
        if msg.is_error_frame:
            self.error_frames += 1
            self._problem(f"CAN error frame on {self._bus.channel_info}", None)
            return False
        try:
            handler = self._route(msg)
            if handler is None:
                return False
            handler.handle_message(msg, rx_time)
        except MalformedFrameError as exc:
            self.malformed_frames += 1
            self._problem(str(exc), exc)
            return False
        except UnknownMotorError as exc:
            self.unknown_id_frames += 1
            self._problem(str(exc), exc)
            return False
        return True

    def _route(self, msg: can.Message) -> ReplyHandler | None:
        data = bytes(msg.data)
        if msg.is_extended_id:
            motor_id = v3_reply_motor_id(msg.arbitration_id)
            if motor_id is None:
                self.ignored_frames += 1  # V3 commands/set-origin, or another device
                return None
            if motor_id not in self._v3:
                raise UnknownMotorError(
                    f"V3 reply from motor id {motor_id} (frame id 0x{msg.arbitration_id:X}); "
                    f"registered V3 ids: {sorted(self._v3) or 'none'}"
                )
            return self._v3[motor_id]
        if msg.arbitration_id in self._legacy:
            self.ignored_frames += 1  # a command addressed to one of our motors
            return None
        motor_id = legacy_reply_motor_id(data)
        if motor_id not in self._legacy:
            raise UnknownMotorError(
                f"legacy reply names motor id {motor_id} (frame id 0x{msg.arbitration_id:X}, "
                f"data {data.hex()}); registered legacy ids: {sorted(self._legacy) or 'none'}"
            )
        return self._legacy[motor_id]

    def _problem(self, text: str, exc: MotorProtocolError | None) -> None:
        self.last_problem = text
        self._problem_count += 1
        if self._strict and exc is not None:
            raise exc
        # a babbling node must not flood the log: the first few, then every 1000th
        if self._problem_count <= 10 or self._problem_count % 1000 == 0:
            log.warning("%s (bus problem #%d)", text, self._problem_count)
