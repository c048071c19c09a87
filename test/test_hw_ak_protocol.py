"""AK MIT-mode codec against frames computed by hand from the manual's layout.

Each expected byte string is written out literally; the arithmetic is in the comments.
AK80-9 legacy ranges: p +/-12.5 rad (16 bit), v +/-50 rad/s, kp 0..500, kd 0..5,
t +/-18 Nm (12 bit). u = floor((x - min) * (2^bits - 1) / (max - min) + 0.5).
"""

from __future__ import annotations

import math

import pytest

from exo_control.drivers.ak_models import MODEL_NAMES, RANGE_TABLE, constants_for, ranges_for
from exo_control.drivers.ak_protocol import (
    MitCommand,
    SpecialCommand,
    decode_command,
    decode_legacy_reply,
    decode_v3_reply,
    encode_command,
    encode_legacy_reply,
    encode_special,
    encode_v3_reply,
    error_name,
    float_to_uint,
    parse_special,
    uint_to_float,
)
from exo_control.drivers.errors import (
    MalformedFrameError,
    MotorError,
    MotorProtocolError,
    UnknownModelError,
)

AK80_9 = ranges_for("AK80-9", "legacy")
AK80_9_V3 = ranges_for("AK80-9", "v3")


def test_range_table_covers_every_model_and_firmware() -> None:
    assert set(RANGE_TABLE) == {(m, f) for m in MODEL_NAMES for f in ("legacy", "v3")}
    assert (AK80_9.v_max_rad_s, AK80_9.t_max_nm) == (50.0, 18.0)
    assert ranges_for("AK80-64", "legacy").t_max_nm == 144.0
    assert ranges_for("AK80-6", "legacy").v_max_rad_s == 76.0
    assert (AK80_9_V3.p_max_rad, AK80_9_V3.v_max_rad_s, AK80_9_V3.t_max_nm) == (12.56, 65.0, 18.0)
    with pytest.raises(UnknownModelError, match="AK99-1.*models: AK80-9"):
        ranges_for("AK99-1", "legacy")


def test_quantisation_ends_and_clamping() -> None:
    assert float_to_uint(-12.5, -12.5, 12.5, 16).value == 0
    assert float_to_uint(12.5, -12.5, 12.5, 16).value == 65535
    # 0 rad: 12.5 * 65535 / 25 = 32767.5 -> rounds half up to 32768
    assert float_to_uint(0.0, -12.5, 12.5, 16).value == 32768
    q = float_to_uint(99.0, -18.0, 18.0, 12)
    assert (q.value, q.clamped) == (4095, True)
    assert float_to_uint(18.0, -18.0, 18.0, 12).clamped is False
    assert uint_to_float(4095, -18.0, 18.0, 12) == 18.0
    assert uint_to_float(0, -18.0, 18.0, 12) == -18.0
    with pytest.raises(MotorProtocolError, match="non-finite"):
        float_to_uint(math.nan, -1.0, 1.0, 12)


def test_legacy_zero_command_bytes() -> None:
    # p 0 -> 0x8000; v 0 -> 2047.5 -> 0x800; kp 0, kd 0; t 0 -> 0x800
    frame = encode_command(MitCommand(), AK80_9, motor_id=1)
    assert frame.data == bytes.fromhex("80 00 80 00 00 00 08 00")
    assert (frame.arbitration_id, frame.is_extended_id, frame.clamped) == (1, False, ())


def test_legacy_range_end_commands() -> None:
    top = MitCommand(position_rad=12.5, velocity_rad_s=50.0, kp_nm_per_rad=500.0,
                     kd_nm_s_per_rad=5.0, torque_nm=18.0)
    assert encode_command(top, AK80_9, 2).data == bytes.fromhex("FF FF FF FF FF FF FF FF")
    bottom = MitCommand(position_rad=-12.5, velocity_rad_s=-50.0, kp_nm_per_rad=0.0,
                        kd_nm_s_per_rad=0.0, torque_nm=-18.0)
    assert encode_command(bottom, AK80_9, 2).data == bytes(8)


def test_legacy_clamped_command() -> None:
    # p 20 -> FFFF, v -60 -> 000, kp 600 -> FFF, kd -1 -> 000, t 100 -> FFF
    # D3 = v[3:0]<<4 | kp[11:8] = 0x0F; D6 = kd[3:0]<<4 | t[11:8] = 0x0F
    cmd = MitCommand(position_rad=20.0, velocity_rad_s=-60.0, kp_nm_per_rad=600.0,
                     kd_nm_s_per_rad=-1.0, torque_nm=100.0)
    frame = encode_command(cmd, AK80_9, 1)
    assert frame.data == bytes.fromhex("FF FF 00 0F FF 00 0F FF")
    assert set(frame.clamped) == {"position", "velocity", "kp", "kd", "torque"}


def test_legacy_mid_range_command_and_d6_layout() -> None:
    # p 1.0: 13.5 * 65535/25 = 35388.9 -> 35389 = 0x8A3D
    # v -2.0: 48 * 4095/100 = 1965.6 -> 1966 = 0x7AE
    # kp 10: 10 * 4095/500 = 81.9 -> 82 = 0x052;  kd 1: 819 = 0x333
    # t 3: 21 * 4095/36 = 2388.75 -> 2389 = 0x955
    # D6 = kd[3:0]<<4 | t[11:8] = 0x39 (the manual's sample code would put kp[11:8]: 0x30)
    cmd = MitCommand(position_rad=1.0, velocity_rad_s=-2.0, kp_nm_per_rad=10.0,
                     kd_nm_s_per_rad=1.0, torque_nm=3.0)
    frame = encode_command(cmd, AK80_9, 1)
    assert frame.data == bytes.fromhex("8A 3D 7A E0 52 33 39 55")
    back = decode_command(frame.data, AK80_9)
    assert back.torque_nm == pytest.approx(3.0, abs=36 / 4095)
    assert back.kp_nm_per_rad == pytest.approx(10.0, abs=500 / 4095)


def test_v3_command_layout() -> None:
    # zero: kp 0, kd 0 -> D0..D2 = 0; p 12.56*65535/25.12 = 32767.5 -> 0x8000;
    # v 65*4095/130 = 2047.5 -> 0x800; t 0x800
    zero = encode_command(MitCommand(), AK80_9_V3, 1)
    assert (zero.arbitration_id, zero.is_extended_id) == (0x801, True)
    assert zero.data == bytes.fromhex("00 00 00 80 00 80 08 00")
    # kp 82 = 0x052, kd 819 = 0x333: D0 = 0x05, D1 = 0x2 << 4 | 0x3 = 0x23, D2 = 0x33
    # p 1.0: 13.56 * 65535/25.12 = 35376.4 -> 0x8A30
    # v -2.0: 63 * 4095/130 = 1984.5 exactly -> half up 1985 = 0x7C1; t 0x955
    cmd = MitCommand(position_rad=1.0, velocity_rad_s=-2.0, kp_nm_per_rad=10.0,
                     kd_nm_s_per_rad=1.0, torque_nm=3.0)
    frame = encode_command(cmd, AK80_9_V3, 1)
    assert frame.data == bytes.fromhex("05 23 33 8A 30 7C 19 55")
    assert decode_command(frame.data, AK80_9_V3).position_rad == pytest.approx(1.0, abs=1e-3)


def test_special_frames() -> None:
    enter = encode_special(SpecialCommand.ENTER_MOTOR_MODE, 1, "legacy")
    assert (enter.arbitration_id, enter.is_extended_id) == (1, False)
    assert enter.data == bytes.fromhex("FF FF FF FF FF FF FF FC")
    assert encode_special(SpecialCommand.EXIT_MOTOR_MODE, 2, "legacy").data[-1] == 0xFD
    assert encode_special(SpecialCommand.SET_ZERO, 2, "legacy").data == bytes.fromhex("FFFFFFFFFFFFFFFE")
    origin = encode_special(SpecialCommand.SET_ZERO, 1, "v3")
    assert (origin.arbitration_id, origin.is_extended_id, origin.data) == (0x501, True, b"\x00")
    assert encode_special(SpecialCommand.SET_ZERO, 1, "v3", permanent_origin=True).data == b"\x01"
    assert encode_special(SpecialCommand.ENTER_MOTOR_MODE, 1, "v3").arbitration_id == 0x801
    assert parse_special(enter.data) is SpecialCommand.ENTER_MOTOR_MODE
    assert parse_special(bytes.fromhex("80 00 80 00 00 00 08 00")) is None
    with pytest.raises(MalformedFrameError, match="0xAB"):
        parse_special(bytes.fromhex("FF FF FF FF FF FF FF AB"))
    with pytest.raises(MotorProtocolError, match="motor id 0"):
        encode_special(SpecialCommand.SET_ZERO, 0, "legacy")


def test_legacy_reply_decode() -> None:
    # id 1; p 0xFFFF -> 12.5; v 0x000 -> -50; i 0xFFF -> 18; 40 C; error 1
    r = decode_legacy_reply(bytes.fromhex("01 FF FF 00 0F FF 28 01"), AK80_9)
    assert (r.motor_id, r.position_rad, r.velocity_rad_s, r.torque_nm) == (1, 12.5, -50.0, 18.0)
    assert (r.temperature_c, r.error_code, r.error_name) == (40.0, 1, "over-temperature")
    # id 2; p 0 -> -12.5; v 0xFFF -> 50; i 0 -> -18; 25 C
    r2 = decode_legacy_reply(bytes.fromhex("02 00 00 FF F0 00 19 00"), AK80_9)
    assert (r2.motor_id, r2.position_rad, r2.velocity_rad_s, r2.torque_nm) == (2, -12.5, 50.0, -18.0)
    assert r2.error_name == "none"


def test_legacy_six_byte_reply() -> None:
    r = decode_legacy_reply(bytes.fromhex("01 FF FF 00 0F FF"), AK80_9)
    assert (r.position_rad, r.torque_nm) == (12.5, 18.0)
    assert r.temperature_c is None
    assert r.error_code is None


@pytest.mark.parametrize("payload", ["", "01", "01 FF FF 00 0F", "01 FF FF 00 0F FF 28"])
def test_malformed_legacy_reply(payload: str) -> None:
    with pytest.raises(MalformedFrameError, match="6 or 8 data bytes") as info:
        decode_legacy_reply(bytes.fromhex(payload), AK80_9)
    assert isinstance(info.value, MotorError)


def test_v3_reply_decode() -> None:
    c = constants_for("AK80-9")
    # pos 0x0384 = 900 -> 90.0 deg; speed 0x00B4 = 180 -> 1800 eRPM / (21 * 9) = 9.524 rpm
    # = 0.99733 rad/s; current 0x00FA = 250 -> 2.50 A -> 2.0475 Nm at 0.819 Nm/A; 35 C
    r = decode_v3_reply(0x2901, bytes.fromhex("03 84 00 B4 00 FA 23 00"), c)
    assert r.motor_id == 1
    assert r.position_rad == pytest.approx(math.pi / 2)
    assert r.velocity_rad_s == pytest.approx(0.99733, abs=1e-5)
    assert r.current_a == pytest.approx(2.5)
    assert r.torque_nm == pytest.approx(2.0475)
    assert (r.temperature_c, r.error_code) == (35.0, 0)
    neg = decode_v3_reply(0x2902, bytes.fromhex("FC 7C FF 4C FF 06 E2 05"), c)
    assert neg.position_rad == pytest.approx(-math.pi / 2)
    assert neg.velocity_rad_s == pytest.approx(-0.99733, abs=1e-5)
    assert (neg.temperature_c, neg.error_name) == (-30.0, "encoder fault")
    with pytest.raises(MalformedFrameError, match="0x2A01"):
        decode_v3_reply(0x2A01, bytes(8), c)
    with pytest.raises(MalformedFrameError, match="got 6"):
        decode_v3_reply(0x2901, bytes(6), c)


def test_reply_encoders_round_trip() -> None:
    frame = encode_legacy_reply(1, 1.0, -2.0, 3.0, 41.0, 2, AK80_9)
    r = decode_legacy_reply(frame.data, AK80_9)
    assert r.position_rad == pytest.approx(1.0, abs=25 / 65535)
    assert r.torque_nm == pytest.approx(3.0, abs=36 / 4095)
    assert (r.temperature_c, r.error_name) == (41.0, "over-current")
    c = constants_for("AK80-9")
    v3 = encode_v3_reply(3, 0.5, 1.0, 2.0, 50.0, 0, c)
    r3 = decode_v3_reply(v3.arbitration_id, v3.data, c)
    assert (v3.arbitration_id, r3.motor_id) == (0x2903, 3)
    assert r3.position_rad == pytest.approx(0.5, abs=math.radians(0.05))
    assert r3.velocity_rad_s == pytest.approx(1.0, abs=0.006)


def test_error_names() -> None:
    names = [error_name(k) for k in range(7)]
    assert names == ["none", "over-temperature", "over-current", "over-voltage", "under-voltage",
                     "encoder fault", "phase-current imbalance"]
    assert error_name(9) == "unknown error code 9"
    assert error_name(None) == "not reported"
