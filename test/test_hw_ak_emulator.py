"""The AK emulator's plant, thermal model and CLI, stepped deterministically (no thread)."""

from __future__ import annotations

import math
import subprocess
import sys
import uuid

import can
import pytest

from exo_control.drivers.ak_models import constants_for, ranges_for
from exo_control.drivers.ak_protocol import (
    MitCommand,
    SpecialCommand,
    decode_legacy_reply,
    encode_command,
    encode_special,
)
from exo_control.emulators.ak_emulator import AKEmulator, build_parser
from exo_control.emulators.ak_motor_model import EmulatedMotor, RotorParams

AK80_9 = ranges_for("AK80-9", "legacy")


def _motor(**params: float) -> EmulatedMotor:
    m = EmulatedMotor(1, AK80_9, constants_for("AK80-9"), RotorParams(**params))
    m.enter_motor_mode()
    return m


def test_constant_torque_accelerates_like_j_alpha() -> None:
    m = _motor(inertia_kg_m2=0.01, damping_nm_s_per_rad=0.0)
    m.set_command(MitCommand(torque_nm=1.0))
    m.advance(0.1)
    # alpha = 1 / 0.01 = 100 rad/s^2: v = 10 rad/s, p = 0.5 rad (semi-implicit Euler: +h/2 * v)
    assert m.state.velocity_rad_s == pytest.approx(10.0, rel=1e-9)
    assert m.state.position_rad == pytest.approx(0.5, abs=0.005)


def test_mit_law_holds_position_and_saturates() -> None:
    m = _motor()
    m.set_command(MitCommand(position_rad=0.5, kp_nm_per_rad=50.0, kd_nm_s_per_rad=1.0))
    m.advance(1.0)
    assert m.state.position_rad == pytest.approx(0.5, abs=1e-3)
    m.set_command(MitCommand(position_rad=12.0, kp_nm_per_rad=500.0))
    m.advance(0.0005)
    assert m.state.torque_nm == 18.0  # 500 * 11.5 Nm requested, the drive gives its maximum


def test_no_torque_outside_motor_mode() -> None:
    m = _motor()
    m.exit_motor_mode()
    m.set_command(MitCommand(torque_nm=5.0))
    m.advance(0.1)
    assert (m.state.velocity_rad_s, m.state.peak_abs_torque_nm) == (0.0, 0.0)


def test_heating_and_cooling() -> None:
    m = _motor(inertia_kg_m2=1e3)  # a blocked rotor, heat only
    m.set_command(MitCommand(torque_nm=8.19))  # 10 A at 0.819 Nm/A -> 100 A^2 * 0.17 ohm = 17 W
    m.advance(1.0)
    # C dT/dt = 17 W - (T - 25) / 2: about 17 / 30 = 0.57 K in the first second
    assert m.state.temperature_c == pytest.approx(25.0 + 17.0 / 30.0, abs=0.02)
    m.set_command(MitCommand())
    m.set_temperature(85.0)
    m.advance(10.0)
    # cooling only: T - 25 decays with tau = R C = 60 s
    assert m.state.temperature_c == pytest.approx(25.0 + 60.0 * math.exp(-10.0 / 60.0), abs=0.05)


def test_over_temperature_latches_with_hysteresis() -> None:
    m = _motor()
    m.set_command(MitCommand(torque_nm=2.0))
    m.set_temperature(95.0)
    assert m.error_code == 1
    m.advance(0.01)
    assert m.state.torque_nm == 0.0  # the drive protects itself
    m.set_temperature(85.0)
    assert m.error_code == 1  # still within the 10 K hysteresis
    m.set_temperature(79.0)
    assert m.error_code == 0


def test_reply_wraps_position_like_the_encoder() -> None:
    m = _motor()
    m.state.position_rad = 13.0
    r = decode_legacy_reply(m.reply().data, AK80_9)
    assert r.position_rad == pytest.approx(-12.0, abs=1e-3)


def test_process_is_deterministic_with_seeded_drops() -> None:
    def run(seed: int) -> list[bool]:
        channel = f"hw-emu-{uuid.uuid4().hex}"
        bus, peer = can.Bus(interface="virtual", channel=channel), can.Bus(interface="virtual", channel=channel)
        try:
            emu = AKEmulator(bus, ids=(1,), seed=seed)
            emu.faults[1].drop_probability = 0.5
            frame = encode_command(MitCommand(), AK80_9, 1)
            msg = can.Message(arbitration_id=1, is_extended_id=False, data=frame.data)
            got = []
            for k in range(20):
                emu.process(msg, now=k * 0.01)
                got.append(peer.recv(timeout=0.0) is not None)
            return got
        finally:
            bus.shutdown()
            peer.shutdown()

    first = run(7)
    assert first == run(7)
    assert 3 < sum(first) < 17
    assert first != run(8)


def test_special_frames_drive_the_firmware_state() -> None:
    channel = f"hw-emu-{uuid.uuid4().hex}"
    bus = can.Bus(interface="virtual", channel=channel)
    try:
        emu = AKEmulator(bus, ids=(4,))
        m = emu.motors[4]
        for kind in (SpecialCommand.ENTER_MOTOR_MODE, SpecialCommand.SET_ZERO):
            f = encode_special(kind, 4, "legacy")
            emu.process(can.Message(arbitration_id=4, is_extended_id=False, data=f.data), now=0.0)
        assert m.state.motor_mode
        f = encode_special(SpecialCommand.EXIT_MOTOR_MODE, 4, "legacy")
        emu.process(can.Message(arbitration_id=4, is_extended_id=False, data=f.data), now=0.0)
        assert not m.state.motor_mode
        # frames for other ids are not ours
        emu.process(can.Message(arbitration_id=5, is_extended_id=False, data=f.data), now=0.0)
        assert emu.frames_received == 3
        assert emu.replies_sent == 3
    finally:
        bus.shutdown()


def test_cli_parser_and_standalone_process() -> None:
    args = build_parser().parse_args(["--interface", "virtual", "--channel", "x", "--ids", "1", "2",
                                      "--model", "AK80-9"])
    assert (args.interface, args.channel, args.ids, args.model, args.firmware) == (
        "virtual", "x", [1, 2], "AK80-9", "legacy")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--model", "AK99-9"])
    done = subprocess.run(
        [sys.executable, "-m", "exo_control.emulators.ak_emulator", "--interface", "virtual",
         "--channel", f"hw-cli-{uuid.uuid4().hex}", "--ids", "1", "2", "--duration", "0.2"],
        capture_output=True, text=True, timeout=30, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "emulating AK80-9 legacy ids [1, 2]" in done.stderr
