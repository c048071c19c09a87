"""AK-series motor emulator speaking MIT-mode CAN on a python-can bus.

In-process (tests, bench)::

    with AKEmulator(can.Bus(interface="virtual", channel="t1"), ids=(1, 2)) as emu:
        ...  # drive AKMotor on another bus instance of channel "t1"

As a separate process::

    python -m exo_control.emulators.ak_emulator --interface virtual --channel vcan0 --ids 1 2

Faults are injected per motor through ``emulator.faults[id]`` (an ``EmulatorFaults``) or
``set_temperature``; every command gets a reply unless a fault says otherwise.
"""

from __future__ import annotations

import argparse
import heapq
import logging
import random
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Literal, Self

import can

from exo_control.drivers.ak_models import (
    FIRMWARES,
    MODEL_NAMES,
    constants_for,
    ranges_for,
)
from exo_control.drivers.ak_protocol import (
    V3_MIT_BASE,
    V3_SET_ORIGIN_BASE,
    CanFrame,
    SpecialCommand,
    decode_command,
    parse_special,
)
from exo_control.drivers.errors import MalformedFrameError
from exo_control.drivers.network_guard import require_loopback_only
from exo_control.emulators.ak_motor_model import EmulatedMotor, RotorParams

log = logging.getLogger(__name__)

Corruption = Literal["none", "bad_length", "garbage"]


@dataclass
class EmulatorFaults:
    """Mutable fault switches for one emulated motor (tests flip them while it runs)."""

    drop_probability: float = 0.0  # each reply dropped with this probability (seeded rng)
    delay_s: float = 0.0  # every reply sent this late
    corrupt: Corruption = "none"  # bad_length: 3-byte reply; garbage: random bytes, id bit flipped
    error_code: int | None = None  # forced error byte in every reply
    silent: bool = False  # bus silence: the motor ignores everything and sends nothing
    short_replies: bool = False  # old firmware: 6-byte legacy replies


class AKEmulator:
    """Emulates ``ids`` motors of one model on ``bus``; thread-driven with start()/stop(),
    or stepped by hand with ``process(msg, now)`` / ``advance(now)`` for deterministic use."""

    def __init__(self, bus: can.BusABC, ids: Iterable[int] = (1,), model: str = "AK80-9",
                 firmware: str = "legacy", *, params: RotorParams | None = None, seed: int = 0,
                 clock: Callable[[], float] = time.monotonic, master_id: int = 0) -> None:
        ranges = ranges_for(model, firmware)
        constants = constants_for(model)
        rotor = params if params is not None else RotorParams()
        self._bus = bus
        self._firmware = firmware
        self._clock = clock
        self._master_id = master_id
        self._rng = random.Random(seed)
        self.motors: dict[int, EmulatedMotor] = {
            i: EmulatedMotor(i, ranges, constants, rotor) for i in ids
        }
        if not self.motors:
            raise ValueError("AKEmulator needs at least one motor id")
        self.faults: dict[int, EmulatorFaults] = {i: EmulatorFaults() for i in self.motors}
        self.frames_received = 0
        self.replies_sent = 0
        self.lock = threading.Lock()  # hold it to read motor state consistently
        self._last_advance: float | None = None
        self._pending: list[tuple[float, int, CanFrame]] = []  # delayed replies (due, seq, frame)
        self._seq = 0
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    # --- thread lifecycle ------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="ak-emulator", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._thread is None:
            return
        self._stop.set()
        self._thread.join(timeout=2.0)
        self._thread = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _run(self) -> None:
        while not self._stop.is_set():
            timeout = 0.002
            if self._pending:
                timeout = min(timeout, max(0.0, self._pending[0][0] - self._clock()))
            try:
                msg = self._bus.recv(timeout=timeout)
            except can.CanError:
                log.exception("emulator receive failed")
                continue
            now = self._clock()
            with self.lock:
                if msg is not None:
                    self.process(msg, now)
                else:
                    self.advance(now)
                self._flush_due(now)

    # --- deterministic core ------------------------------------------------------------

    def advance(self, now: float) -> None:
        """Integrate every motor up to ``now`` (steps over 0.1 s are cut: a paused thread
        must not make the rotor jump)."""
        if self._last_advance is not None:
            dt = min(now - self._last_advance, 0.1)
            for m in self.motors.values():
                m.advance(dt)
        self._last_advance = now

    def process(self, msg: can.Message, now: float) -> None:
        """Handle one received frame at time ``now`` (advances physics first)."""
        self.advance(now)
        if msg.is_error_frame or msg.is_remote_frame:
            return
        target = self._target(msg)
        if target is None:
            return
        motor_id, is_set_origin = target
        self.frames_received += 1
        if self.faults[motor_id].silent:
            return
        motor = self.motors[motor_id]
        data = bytes(msg.data)
        if is_set_origin:
            motor.set_zero()
        else:
            try:
                special = parse_special(data)
                if special is SpecialCommand.ENTER_MOTOR_MODE:
                    motor.enter_motor_mode()
                elif special is SpecialCommand.EXIT_MOTOR_MODE:
                    motor.exit_motor_mode()
                elif special is SpecialCommand.SET_ZERO:
                    motor.set_zero()
                else:
                    motor.set_command(decode_command(data, motor.ranges))
            except MalformedFrameError as exc:
                log.warning("emulated motor %d ignored a frame: %s", motor_id, exc)
                return
        self._reply(motor, now)

    def _target(self, msg: can.Message) -> tuple[int, bool] | None:
        if self._firmware == "v3":
            if not msg.is_extended_id:
                return None
            base, motor_id = msg.arbitration_id & ~0xFF, msg.arbitration_id & 0xFF
            if motor_id in self.motors and base in (V3_MIT_BASE, V3_SET_ORIGIN_BASE):
                return motor_id, base == V3_SET_ORIGIN_BASE
            return None
        if msg.is_extended_id or msg.arbitration_id not in self.motors:
            return None
        return msg.arbitration_id, False

    def _reply(self, motor: EmulatedMotor, now: float) -> None:
        f = self.faults[motor.motor_id]
        if f.drop_probability > 0.0 and self._rng.random() < f.drop_probability:
            return
        frame = motor.reply(short=f.short_replies, error_code=f.error_code)
        frame = self._corrupt(frame, f.corrupt)
        if self._firmware == "legacy":
            frame = CanFrame(self._master_id, False, frame.data)
        if f.delay_s > 0.0:
            self._seq += 1
            heapq.heappush(self._pending, (now + f.delay_s, self._seq, frame))
            return
        self._send(frame)

    def _corrupt(self, frame: CanFrame, mode: Corruption) -> CanFrame:
        if mode == "bad_length":
            return CanFrame(frame.arbitration_id, frame.is_extended_id, frame.data[:3])
        if mode == "garbage":
            junk = bytes(self._rng.randrange(256) for _ in frame.data)
            if self._firmware == "v3":  # a flipped bit in the id: a reply from nobody
                return CanFrame(frame.arbitration_id ^ 0x80, True, junk)
            return CanFrame(frame.arbitration_id, False, bytes((frame.data[0] ^ 0x80,)) + junk[1:])
        return frame

    def _flush_due(self, now: float) -> None:
        while self._pending and self._pending[0][0] <= now:
            _, _, frame = heapq.heappop(self._pending)
            self._send(frame)

    def _send(self, frame: CanFrame) -> None:
        msg = can.Message(arbitration_id=frame.arbitration_id, is_extended_id=frame.is_extended_id,
                          data=frame.data)
        try:
            self._bus.send(msg)
            self.replies_sent += 1
        except can.CanError:
            log.exception("emulator send failed")

    # --- fault helpers -------------------------------------------------------------------

    def set_temperature(self, motor_id: int, temperature_c: float) -> None:
        with self.lock:
            self.motors[motor_id].set_temperature(temperature_c)


# --- command line ------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m exo_control.emulators.ak_emulator",
                                description="Emulate AK-series motors (MIT mode) on a python-can bus.")
    p.add_argument("--interface", choices=("virtual", "udp_multicast", "socketcan"), default="virtual")
    p.add_argument("--channel", default="vcan0",
                   help="bus channel (virtual: any name; udp_multicast: an IPv4 group, use it only "
                        "inside a loopback-only network namespace)")
    p.add_argument("--ids", type=int, nargs="+", default=[1, 2], help="motor CAN ids")
    p.add_argument("--model", choices=MODEL_NAMES, default="AK80-9")
    p.add_argument("--firmware", choices=FIRMWARES, default="legacy")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--duration", type=float, default=0.0, help="seconds to run (0: until Ctrl-C)")
    p.add_argument("--log-level", default="INFO")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    require_loopback_only(args.interface)
    bus = can.Bus(interface=args.interface, channel=args.channel)
    emu = AKEmulator(bus, ids=args.ids, model=args.model, firmware=args.firmware, seed=args.seed)
    log.info("emulating %s %s ids %s on %s:%s", args.model, args.firmware, args.ids,
             args.interface, args.channel)
    emu.start()
    try:
        deadline = time.monotonic() + args.duration if args.duration > 0 else None
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.1)
    except KeyboardInterrupt:
        pass
    finally:
        emu.stop()
        bus.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
