"""AKMotor driver against the AK emulator over python-can's in-process virtual bus.

Every test gets its own virtual channel name, so tests cannot hear each other.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import can
import pytest

from exo_control.drivers.ak_bus import AKMotorBus
from exo_control.drivers.ak_models import ranges_for
from exo_control.drivers.ak_motor import AKMotor, AKMotorConfig
from exo_control.drivers.ak_protocol import (
    MitCommand,
    MotorReply,
    SpecialCommand,
    decode_command,
    encode_special,
    parse_special,
)
from exo_control.drivers.errors import (
    MalformedFrameError,
    MotorBusError,
    MotorFaultError,
    MotorSendError,
    MotorStateError,
    MotorTimeoutError,
    NonFiniteCommandError,
)
from exo_control.emulators.ak_emulator import AKEmulator

AK80_9 = ranges_for("AK80-9", "legacy")


@dataclass
class Rig:
    channel: str
    emulator: AKEmulator
    emulator_bus: can.BusABC
    driver_bus: can.BusABC
    sniffer: can.BusABC

    def motor(self, **overrides: object) -> AKMotor:
        # generous timeout: a loaded 2-core CI box must not turn a slow reply into a failure
        cfg = AKMotorConfig(**{"name": "left_hip", "can_id": 1, "reply_timeout_s": 0.25, **overrides})  # type: ignore[arg-type]
        return AKMotor(cfg, self.driver_bus)

    def sniffed(self, arbitration_id: int | None = None) -> list[can.Message]:
        """Frames seen on the bus since the last call (optionally one id only)."""
        out = []
        while (msg := self.sniffer.recv(timeout=0.0)) is not None:
            if arbitration_id is None or msg.arbitration_id == arbitration_id:
                out.append(msg)
        return out


def _bus(channel: str) -> can.BusABC:
    return can.Bus(interface="virtual", channel=channel)


@pytest.fixture
def make_rig() -> Iterator[Callable[..., Rig]]:
    rigs: list[Rig] = []

    def make(ids: tuple[int, ...] = (1,), firmware: str = "legacy") -> Rig:
        channel = f"hw-test-{uuid.uuid4().hex}"
        emulator_bus = _bus(channel)
        emu = AKEmulator(emulator_bus, ids=ids, firmware=firmware, seed=1)
        rig = Rig(channel, emu, emulator_bus, _bus(channel), _bus(channel))
        rigs.append(rig)
        emu.start()
        return rig

    yield make
    for rig in rigs:
        rig.emulator.stop()
        for b in (rig.emulator_bus, rig.driver_bus, rig.sniffer):
            b.shutdown()


def _hold_still(rig: Rig, motor: AKMotor) -> None:
    """Zero torque, then stop the emulated rotor (the wearer stands still)."""
    motor.command_torque(0.0)
    motor.wait_for_reply()
    with rig.emulator.lock:
        rig.emulator.motors[motor.can_id].state.velocity_rad_s = 0.0
    motor.command_torque(0.0)
    motor.wait_for_reply()


def _run_torque(motor: AKMotor, torque_nm: float, duration_s: float) -> None:
    end = time.monotonic() + duration_s
    while time.monotonic() < end:
        motor.command_torque(torque_nm)
        motor.wait_for_reply()
        time.sleep(0.001)


# --- configuration -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "pattern"),
    [
        ({"torque_limit_nm": 20.0}, r"torque_limit_nm=20.0 exceeds the AK80-9.*<= 18"),
        ({"can_id": 0}, r"AKMotorConfig.can_id: value 0 is out of range; allowed \[1, 255\]"),
        ({"direction": 2}, r"direction: value 2 is not one of 1, -1"),
        ({"firmware": "v2"}, r"firmware: value 'v2' is not one of 'legacy', 'v3'"),
        ({"model": "AK99-1"}, r"model: value 'AK99-1' is not one of"),
        ({"reply_timeout_s": 0.0}, r"reply_timeout_s: value 0.0 is out of range"),
    ],
)
def test_config_rejects_bad_values(overrides: dict[str, object], pattern: str) -> None:
    with pytest.raises(ValueError, match=pattern):
        AKMotorConfig(**overrides)  # type: ignore[arg-type]


def test_config_torque_limit_up_to_rating() -> None:
    assert AKMotorConfig(model="AK80-9", torque_limit_nm=18.0).torque_limit_nm == 18.0
    with pytest.raises(ValueError, match="AK80-6"):
        AKMotorConfig(model="AK80-6", torque_limit_nm=15.0)


# --- lifecycle -----------------------------------------------------------------------------


def test_enable_never_produces_a_torque_step(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    emulated = rig.emulator.motors[1]
    # a stale 5 Nm set-point left in the drive by a previous session
    with rig.emulator.lock:
        emulated.set_command(MitCommand(torque_nm=5.0))
        emulated.reset_peak()
    motor = rig.motor()
    motor.enable()
    time.sleep(0.02)
    with rig.emulator.lock:
        peak = emulated.state.peak_abs_torque_nm
        assert emulated.state.motor_mode
    assert peak < 0.005  # one torque quantum (0.0044 Nm) at most
    commands = [m for m in rig.sniffed(1) if parse_special(bytes(m.data)) is None]
    assert commands, "enable sent no command frames"
    for m in commands:
        cmd = decode_command(bytes(m.data), AK80_9)
        assert (cmd.kp_nm_per_rad, cmd.kd_nm_s_per_rad) == (0.0, 0.0)
        assert abs(cmd.torque_nm) < 0.005


def test_entering_motor_mode_without_pre_zero_kicks(make_rig: Callable[..., Rig]) -> None:
    """The emulator reproduces the field problem, so the test above can fail."""
    rig = make_rig()
    emulated = rig.emulator.motors[1]
    with rig.emulator.lock:
        emulated.set_command(MitCommand(torque_nm=5.0))
    frame = encode_special(SpecialCommand.ENTER_MOTOR_MODE, 1, "legacy")
    rig.driver_bus.send(can.Message(arbitration_id=1, is_extended_id=False, data=frame.data))
    time.sleep(0.02)
    with rig.emulator.lock:
        assert emulated.state.peak_abs_torque_nm == pytest.approx(5.0, abs=0.01)


def test_command_requires_enable_and_disable_zeroes(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    motor = rig.motor()
    with pytest.raises(MotorStateError, match="enable"):
        motor.command_torque(1.0)
    with motor:
        assert motor.enabled
        motor.command_torque(2.0)
        motor.wait_for_reply()
    assert not motor.enabled
    time.sleep(0.02)
    with rig.emulator.lock:
        st = rig.emulator.motors[1].state
        assert not st.motor_mode
        assert abs(st.setpoint.torque_nm) < 0.005
    with pytest.raises(MotorStateError):
        motor.command_torque(1.0)


def test_emulator_round_trip_velocity_follows_torque(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with rig.motor() as motor:
        v0 = motor.wait_for_reply().velocity_rad_s
        _run_torque(motor, 1.0, 0.05)
        state = motor.state
        assert state is not None
        assert v0 == pytest.approx(0.0, abs=0.05)
        assert state.velocity_rad_s > 1.0  # 1 Nm on 0.003 kg m^2 for 50 ms: ~15 rad/s
        assert state.torque_nm == pytest.approx(1.0, abs=0.02)
        assert state.position_rad > 0.01
        assert state.timestamp_s <= time.monotonic()
        assert motor.last_reply_latency_s is not None
        assert motor.last_reply_latency_s < motor.config.reply_timeout_s


def test_direction_sign_flips_joint_frame(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with rig.motor(direction=-1) as motor:
        _run_torque(motor, 1.0, 0.03)  # joint +1 Nm = motor -1 Nm
        with rig.emulator.lock:
            motor_torque = rig.emulator.motors[1].state.setpoint.torque_nm
            motor_velocity = rig.emulator.motors[1].state.velocity_rad_s
        state = motor.state
        assert state is not None
        assert motor_torque == pytest.approx(-1.0, abs=0.01)
        assert motor_velocity < -0.5
        assert state.velocity_rad_s > 0.5


def test_torque_clamped_to_limit(make_rig: Callable[..., Rig], caplog: pytest.LogCaptureFixture) -> None:
    rig = make_rig()
    with rig.motor(torque_limit_nm=4.0) as motor:
        assert motor.command_torque(50.0) == 4.0
        assert motor.command_torque(-50.0) == -4.0
        assert motor.command_torque(3.0) == 3.0
        motor.wait_for_reply()
        assert motor.clamp_count == 2
        assert motor.diagnostics().level == 0
        motor.command_torque(9.0)
        assert motor.diagnostics().message == "torque clamped at 4.0 Nm"
    assert "clamped to 4.00 Nm" in caplog.text


def test_nan_torque_raises_and_sends_zero(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with rig.motor() as motor:
        motor.command_torque(3.0)
        rig.sniffed()
        with pytest.raises(NonFiniteCommandError, match="nan"):
            motor.command_torque(float("nan"))
        with pytest.raises(NonFiniteCommandError, match="inf"):
            motor.command_torque(float("inf"))
        sent = rig.sniffed(1)
        assert len(sent) == 2
        for m in sent:
            assert decode_command(bytes(m.data), AK80_9).torque_nm == pytest.approx(0.0, abs=0.005)
        assert motor.commanded_torque_nm == 0.0


def test_zero_sets_origin(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with rig.motor() as motor:
        _run_torque(motor, 1.0, 0.03)
        state = motor.state
        assert state is not None
        assert state.position_rad > 0.05
        _hold_still(rig, motor)
        motor.zero()
        motor.command_torque(0.0)
        assert motor.wait_for_reply().position_rad == pytest.approx(0.0, abs=1e-3)


# --- state conversion ----------------------------------------------------------------------


def _reply(pos: float, vel: float = 0.0, tau: float = 0.0) -> MotorReply:
    return MotorReply(motor_id=1, position_rad=pos, velocity_rad_s=vel, torque_nm=tau,
                      temperature_c=30.0, error_code=0, position_span_rad=25.0)


def test_joint_frame_conversion() -> None:
    bus = _bus(f"hw-test-{uuid.uuid4().hex}")
    try:
        motor = AKMotor(AKMotorConfig(direction=-1, zero_offset_rad=0.5), bus)
        s = motor.handle_reply(_reply(1.5, vel=2.0, tau=3.0), rx_time_s=10.0)
        assert (s.position_rad, s.velocity_rad_s, s.torque_nm) == (-1.0, -2.0, -3.0)
        assert (s.motor_position_rad, s.timestamp_s) == (1.5, 10.0)
    finally:
        bus.shutdown()


def test_position_unwrapped_across_encoding_wrap() -> None:
    bus = _bus(f"hw-test-{uuid.uuid4().hex}")
    try:
        motor = AKMotor(AKMotorConfig(), bus)
        # true path 12.0 -> 12.7 -> 13.0 -> 12.4 -> -12.9 (wraps at +/-12.5, period 25)
        raw = [12.0, -12.3, -12.0, 12.4, 12.1]
        seen = [motor.handle_reply(_reply(p)).position_rad for p in raw]
        assert seen == pytest.approx([12.0, 12.7, 13.0, 12.4, 12.1])
        other = AKMotor(AKMotorConfig(can_id=2), bus)
        # true path -12.0 -> -12.6 -> -13.0: reported -12.0, 12.4, 12.0
        down = [other.handle_reply(_reply(p)).position_rad for p in (-12.0, 12.4, 12.0)]
        assert down == pytest.approx([-12.0, -12.6, -13.0])
    finally:
        bus.shutdown()


def test_unwrap_with_emulator_crossing_the_wrap(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with rig.emulator.lock:
        rig.emulator.motors[1].state.position_rad = 12.2
    with rig.motor() as motor:
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            motor.command_torque(0.5)
            state = motor.wait_for_reply()
            if state.position_rad > 13.0:
                break
        assert state.position_rad > 13.0
        _hold_still(rig, motor)
        with rig.emulator.lock:
            true_pos = rig.emulator.motors[1].state.position_rad
        assert motor.wait_for_reply().position_rad == pytest.approx(true_pos, abs=1e-3)


# --- faults --------------------------------------------------------------------------------


def test_silent_bus_times_out_enable(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    rig.emulator.faults[1].silent = True
    motor = rig.motor(reply_timeout_s=0.03)
    with pytest.raises(MotorTimeoutError, match="left_hip.*no reply to enter-motor-mode"):
        motor.enable()
    assert not motor.enabled


def test_dropped_replies_time_out(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with rig.motor(reply_timeout_s=0.02) as motor:
        rig.emulator.faults[1].drop_probability = 1.0
        motor.command_torque(0.5)
        with pytest.raises(MotorTimeoutError, match="no reply within 0.02 s"):
            motor.wait_for_reply()
        assert motor.replies_missed == 1
        assert motor.reply_age_s() >= 0.02
        time.sleep(0.1)
        report = motor.diagnostics()  # stale after 4 reply timeouts (0.08 s)
        assert report.level == 3
        assert report.message.startswith("no reply for")
        rig.emulator.faults[1].drop_probability = 0.0


def test_delayed_reply_detected(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with rig.motor(reply_timeout_s=0.02) as motor:
        rig.emulator.faults[1].delay_s = 0.06
        motor.command_torque(0.0)
        with pytest.raises(MotorTimeoutError):
            motor.wait_for_reply()
        motor.wait_for_reply(timeout_s=1.0)  # the late reply does arrive
        assert motor.last_reply_latency_s is not None
        assert motor.last_reply_latency_s >= 0.06
        rig.emulator.faults[1].delay_s = 0.0


def test_error_code_latches_fault_and_zeroes_command(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with rig.motor() as motor:
        motor.command_torque(3.0)
        motor.wait_for_reply()
        rig.emulator.faults[1].error_code = 2
        motor.command_torque(3.0)
        motor.wait_for_reply()
        assert motor.fault == "motor error code 2 (over-current)"
        report = motor.diagnostics()
        assert (report.name, report.level, report.values["error_name"]) == ("left_hip", 2, "over-current")
        time.sleep(0.01)
        with rig.emulator.lock:
            assert abs(rig.emulator.motors[1].state.setpoint.torque_nm) < 0.005
        with pytest.raises(MotorFaultError, match="over-current"):
            motor.command_torque(1.0)
        with pytest.raises(MotorFaultError, match="still reports over-current"):
            motor.clear_fault()
        rig.emulator.faults[1].error_code = None
        with pytest.raises(MotorFaultError):
            motor.command_torque(1.0)  # still latched; this sends zero and gets a clean reply
        # replies carry no sequence number: skip the ones still queued from the faulted period
        assert motor.router.wait_until(lambda: motor.state is not None and motor.state.error_code == 0, 0.1)
        motor.clear_fault()
        assert motor.command_torque(1.0) == 1.0


def test_over_temperature_from_drive_error(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with rig.motor() as motor:
        rig.emulator.set_temperature(1, 95.0)  # emulated drive trips at 90 C
        motor.command_torque(1.0)
        state = motor.wait_for_reply()
        assert state.error_name == "over-temperature"
        assert state.temperature_c is not None
        assert state.temperature_c > 90.0
        assert motor.fault is not None
        assert "over-temperature" in motor.fault


def test_over_temperature_from_measured_limit(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with rig.motor(max_temperature_c=60.0) as motor:
        rig.emulator.set_temperature(1, 70.0)  # below the drive's trip, above our limit
        motor.command_torque(1.0)
        assert motor.wait_for_reply().error_code == 0
        assert motor.fault == "temperature 70 C above limit 60 C"
        assert motor.diagnostics().values["temperature_c"] == "70.0"


def test_bad_length_replies_counted(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with rig.motor(reply_timeout_s=0.02) as motor:
        rig.emulator.faults[1].corrupt = "bad_length"
        motor.command_torque(0.0)
        with pytest.raises(MotorTimeoutError):
            motor.wait_for_reply()
        assert motor.router.malformed_frames >= 1
        assert "6 or 8 data bytes, got 3" in (motor.router.last_problem or "")
        rig.emulator.faults[1].corrupt = "none"


def test_garbage_replies_flagged_as_unknown_ids(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    with rig.motor(reply_timeout_s=0.02) as motor:
        rig.emulator.faults[1].corrupt = "garbage"
        motor.command_torque(0.0)
        with pytest.raises(MotorTimeoutError):
            motor.wait_for_reply()
        assert motor.router.unknown_id_frames >= 1
        assert "motor id 129" in (motor.router.last_problem or "")
        rig.emulator.faults[1].corrupt = "none"


def test_strict_router_raises_on_malformed(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    router = AKMotorBus(rig.driver_bus, strict=True)
    motor = AKMotor(AKMotorConfig(can_id=1), router)
    with motor:
        rig.emulator.faults[1].corrupt = "bad_length"
        motor.command_torque(0.0)
        with pytest.raises(MalformedFrameError, match="got 3"):
            router.poll(0.05)
        rig.emulator.faults[1].corrupt = "none"


def test_short_replies_have_no_temperature(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig()
    rig.emulator.faults[1].short_replies = True
    with rig.motor() as motor:
        state = motor.wait_for_reply()
        assert state.temperature_c is None
        assert state.error_code is None
        assert motor.fault is None


class _RefusingBus(can.BusABC):
    """A bus whose controller rejects every frame (bus-off, full queue)."""

    def __init__(self) -> None:
        super().__init__(channel="refusing")

    def send(self, msg: can.Message, timeout: float | None = None) -> None:
        raise can.CanOperationError("Transmit buffer full")

    def _recv_internal(self, timeout: float | None) -> tuple[None, bool]:
        return None, False


def test_failed_send_raises() -> None:
    bus = _RefusingBus()
    try:
        motor = AKMotor(AKMotorConfig(), bus)
        with pytest.raises(MotorSendError, match="pre-enable zero torque for motor 'motor'.*Transmit buffer full"):
            motor.enable()
        assert not motor.enabled
    finally:
        bus.shutdown()


def test_closed_bus_raises() -> None:
    bus = _bus(f"hw-test-{uuid.uuid4().hex}")
    motor = AKMotor(AKMotorConfig(), bus)
    bus.shutdown()
    with pytest.raises(MotorBusError, match="closed bus"):
        motor.enable()


# --- several motors on one bus ----------------------------------------------------------


def test_two_motors_share_a_bus_and_unknown_ids_are_flagged(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(ids=(1, 2, 3))
    router = AKMotorBus(rig.driver_bus)
    left = AKMotor(AKMotorConfig(name="left_hip", can_id=1), router)
    right = AKMotor(AKMotorConfig(name="right_hip", can_id=2, direction=-1), router)
    assert router.motor_ids == (1, 2)
    with pytest.raises(ValueError, match="motor id 2 is already registered"):
        AKMotor(AKMotorConfig(can_id=2), router)
    with left, right:
        for _ in range(20):
            seen = (left.replies_received, right.replies_received)

            def both_replied(seen: tuple[int, int] = seen) -> bool:
                return left.replies_received > seen[0] and right.replies_received > seen[1]

            left.command_torque(1.0)
            right.command_torque(1.0)
            assert router.wait_until(both_replied, 0.5)
            time.sleep(0.002)
        assert left.state is not None
        assert right.state is not None
        assert left.state.velocity_rad_s > 0.1
        assert right.state.velocity_rad_s > 0.1  # joint frame: both flex
        with rig.emulator.lock:
            assert rig.emulator.motors[2].state.velocity_rad_s < -0.1
        # motor 3 exists on the bus but no driver owns it
        rig.driver_bus.send(can.Message(arbitration_id=3, is_extended_id=False,
                                        data=encode_special(SpecialCommand.ENTER_MOTOR_MODE, 3, "legacy").data))
        assert router.wait_until(lambda: router.unknown_id_frames > 0, 0.1)
        assert "motor id 3" in (router.last_problem or "")


def test_v3_firmware_round_trip(make_rig: Callable[..., Rig]) -> None:
    rig = make_rig(firmware="v3")
    with rig.motor(firmware="v3") as motor:
        _run_torque(motor, 1.0, 0.05)
        state = motor.state
        assert state is not None
        assert state.velocity_rad_s > 1.0
        assert state.torque_nm == pytest.approx(1.0, abs=0.02)
        assert state.temperature_c == pytest.approx(25.0, abs=1.0)
        _hold_still(rig, motor)
        motor.zero()
        motor.command_torque(0.0)
        assert motor.wait_for_reply().position_rad == pytest.approx(0.0, abs=math.radians(0.1))
    sent = rig.sniffed()
    assert all(m.is_extended_id for m in sent)
    assert {m.arbitration_id for m in sent} <= {0x801, 0x501, 0x2901}


def test_udp_multicast_refused_with_real_interfaces() -> None:
    from exo_control.drivers.network_guard import NetworkGuardError, require_loopback_only

    require_loopback_only("udp_multicast", list_interfaces=lambda: ["lo"])  # a loopback-only netns
    require_loopback_only("virtual", list_interfaces=lambda: ["eth0", "lo"])
    with pytest.raises(NetworkGuardError, match="real interfaces \\(eth0\\)"):
        require_loopback_only("udp_multicast", list_interfaces=lambda: ["eth0", "lo"])
    require_loopback_only("socketcan", list_interfaces=lambda: ["can0", "lo"])  # CAN is not IP multicast
