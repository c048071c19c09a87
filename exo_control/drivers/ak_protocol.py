"""AK-series MIT-mode CAN codec (CubeMars manual V1.0.8 section 5.3, plus firmware V3).

Pure functions from SI values to frame bytes and back; no bus I/O. Motor-frame units
throughout (output shaft, rad, rad/s, Nm): direction and zero offset belong to the driver.

Legacy command frame (standard 11-bit id = motor id, 8 bytes, big-endian bit fields):
    D0-D1 p[15:0]; D2 v[11:4]; D3 v[3:0]<<4 | kp[11:8]; D4 kp[7:0]; D5 kd[11:4];
    D6 kd[3:0]<<4 | t[11:8]; D7 t[7:0]
The manual's sample packing code has a bug in D6: it ORs the high bits of *kp* into the low
nibble (``(kd & 0xF) << 4 | kp >> 8``). The low nibble of D6 carries t[11:8]; copying the
sample would send a torque whose top bits follow the stiffness gain. The tests pin D6 by hand.

V3 command frame (extended id 0x800 + id, kp first):
    D0 kp[11:4]; D1 kp[3:0]<<4 | kd[11:8]; D2 kd[7:0]; D3-D4 p; D5 v[11:4];
    D6 v[3:0]<<4 | t[11:8]; D7 t[7:0]

Quantisation: u = round_half_up((clamp(x) - min) * (2^bits - 1) / (max - min)); the inverse
is x = u * (max - min) / (2^bits - 1) + min. Zero is not exactly representable on symmetric
ranges (AK80-9 torque 0 -> 2048 -> +0.0044 Nm); callers that need "no torque" also send
kp = kd = 0 so the residual is that one quantum.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from enum import IntEnum

from exo_control.drivers.ak_models import MotorConstants, MotorRanges
from exo_control.drivers.errors import MalformedFrameError, MotorProtocolError

# --- ids -----------------------------------------------------------------------------------

V3_SET_ORIGIN_BASE = 0x500
V3_MIT_BASE = 0x800
V3_REPLY_BASE = 0x2900
MAX_MOTOR_ID = 0xFF  # replies carry the id in one byte (legacy D0, V3 low id byte)

# Assumed V3 reply units (servo-mode telemetry layout, which V3 MIT replies reuse):
V3_POSITION_DEG_PER_LSB = 0.1
V3_SPEED_ERPM_PER_LSB = 10.0  # electrical rpm of the rotor (before the gearbox), x10
V3_CURRENT_A_PER_LSB = 0.01

_SPECIAL_PREFIX = b"\xff" * 7


class SpecialCommand(IntEnum):
    """Last byte of the 7 x 0xFF special frames."""

    ENTER_MOTOR_MODE = 0xFC
    EXIT_MOTOR_MODE = 0xFD
    SET_ZERO = 0xFE


class MotorErrorCode(IntEnum):
    """Error byte of a reply (D7 legacy, last byte V3)."""

    NONE = 0
    OVER_TEMPERATURE = 1
    OVER_CURRENT = 2
    OVER_VOLTAGE = 3
    UNDER_VOLTAGE = 4
    ENCODER = 5
    PHASE_CURRENT_IMBALANCE = 6


_ERROR_NAMES: dict[int, str] = {
    0: "none",
    1: "over-temperature",
    2: "over-current",
    3: "over-voltage",
    4: "under-voltage",
    5: "encoder fault",
    6: "phase-current imbalance",
}


def error_name(code: int | None) -> str:
    """Human-readable name of a reply error code (unknown codes are named, not rejected)."""
    if code is None:
        return "not reported"
    return _ERROR_NAMES.get(code, f"unknown error code {code}")


# --- quantisation --------------------------------------------------------------------------


@dataclass(frozen=True)
class Quantized:
    """An encoded field and whether the input had to be clamped to fit the range."""

    value: int
    clamped: bool


def float_to_uint(x: float, x_min: float, x_max: float, bits: int) -> Quantized:
    """Clamp x to [x_min, x_max] and map it onto 0 .. 2^bits - 1 (round half up)."""
    if not math.isfinite(x):
        raise MotorProtocolError(f"cannot encode non-finite value {x!r} in range [{x_min}, {x_max}]")
    clamped = x < x_min or x > x_max
    xc = min(max(x, x_min), x_max)
    full = (1 << bits) - 1
    # the 1e-9 LSB tolerance makes exact decimal halves round up despite binary float error
    # (V3 p = 0: 12.56 * 65535 / 25.12 is 32767.5 on paper, 32767.4999... in floats)
    u = math.floor((xc - x_min) * full / (x_max - x_min) + 0.5 + 1e-9)
    return Quantized(value=min(max(u, 0), full), clamped=clamped)


def uint_to_float(u: int, x_min: float, x_max: float, bits: int) -> float:
    """Inverse of ``float_to_uint`` (exact at both range ends)."""
    full = (1 << bits) - 1
    if not 0 <= u <= full:
        raise MotorProtocolError(f"encoded value {u} outside 0..{full} for a {bits}-bit field")
    return u * (x_max - x_min) / full + x_min


# --- frames --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CanFrame:
    """Bus-independent frame; drivers turn it into ``can.Message``."""

    arbitration_id: int
    is_extended_id: bool
    data: bytes
    clamped: tuple[str, ...] = ()


@dataclass(frozen=True)
class MitCommand:
    """One MIT-mode set-point in motor frame: tau = kp (p - p_m) + kd (v - v_m) + t_ff."""

    position_rad: float = 0.0
    velocity_rad_s: float = 0.0
    kp_nm_per_rad: float = 0.0
    kd_nm_s_per_rad: float = 0.0
    torque_nm: float = 0.0


ZERO_TORQUE = MitCommand()


def _check_id(motor_id: int) -> None:
    if not 0 < motor_id <= MAX_MOTOR_ID:
        raise MotorProtocolError(f"motor id {motor_id} outside 1..{MAX_MOTOR_ID}")


def _quantize_command(cmd: MitCommand, r: MotorRanges) -> tuple[dict[str, int], tuple[str, ...]]:
    fields = {
        "position": float_to_uint(cmd.position_rad, r.p_min_rad, r.p_max_rad, 16),
        "velocity": float_to_uint(cmd.velocity_rad_s, r.v_min_rad_s, r.v_max_rad_s, 12),
        "kp": float_to_uint(cmd.kp_nm_per_rad, r.kp_min_nm_per_rad, r.kp_max_nm_per_rad, 12),
        "kd": float_to_uint(cmd.kd_nm_s_per_rad, r.kd_min_nm_s_per_rad, r.kd_max_nm_s_per_rad, 12),
        "torque": float_to_uint(cmd.torque_nm, r.t_min_nm, r.t_max_nm, 12),
    }
    return {k: q.value for k, q in fields.items()}, tuple(k for k, q in fields.items() if q.clamped)


def encode_command(cmd: MitCommand, ranges: MotorRanges, motor_id: int) -> CanFrame:
    """Encode a MIT command for ``ranges.firmware`` (legacy or v3); reports clamped fields."""
    _check_id(motor_id)
    u, clamped = _quantize_command(cmd, ranges)
    p, v, kp, kd, t = u["position"], u["velocity"], u["kp"], u["kd"], u["torque"]
    if ranges.firmware == "v3":
        data = bytes((
            kp >> 4, ((kp & 0xF) << 4) | (kd >> 8), kd & 0xFF,
            p >> 8, p & 0xFF, v >> 4, ((v & 0xF) << 4) | (t >> 8), t & 0xFF,
        ))
        return CanFrame(V3_MIT_BASE + motor_id, True, data, clamped)
    data = bytes((
        p >> 8, p & 0xFF, v >> 4, ((v & 0xF) << 4) | (kp >> 8), kp & 0xFF,
        kd >> 4, ((kd & 0xF) << 4) | (t >> 8), t & 0xFF,
    ))
    return CanFrame(motor_id, False, data, clamped)


def decode_command(data: bytes, ranges: MotorRanges) -> MitCommand:
    """Decode a MIT command payload (the emulator's side of ``encode_command``)."""
    if len(data) != 8:
        raise MalformedFrameError(f"MIT command must have 8 data bytes, got {len(data)}: {data.hex()}")
    if ranges.firmware == "v3":
        kp = (data[0] << 4) | (data[1] >> 4)
        kd = ((data[1] & 0xF) << 8) | data[2]
        p = (data[3] << 8) | data[4]
        v = (data[5] << 4) | (data[6] >> 4)
    else:
        p = (data[0] << 8) | data[1]
        v = (data[2] << 4) | (data[3] >> 4)
        kp = ((data[3] & 0xF) << 8) | data[4]
        kd = (data[5] << 4) | (data[6] >> 4)
    t = ((data[6] & 0xF) << 8) | data[7]
    r = ranges
    return MitCommand(
        position_rad=uint_to_float(p, r.p_min_rad, r.p_max_rad, 16),
        velocity_rad_s=uint_to_float(v, r.v_min_rad_s, r.v_max_rad_s, 12),
        kp_nm_per_rad=uint_to_float(kp, r.kp_min_nm_per_rad, r.kp_max_nm_per_rad, 12),
        kd_nm_s_per_rad=uint_to_float(kd, r.kd_min_nm_s_per_rad, r.kd_max_nm_s_per_rad, 12),
        torque_nm=uint_to_float(t, r.t_min_nm, r.t_max_nm, 12),
    )


def encode_special(kind: SpecialCommand, motor_id: int, firmware: str, *,
                   permanent_origin: bool = False) -> CanFrame:
    """Enter/exit motor mode or set zero.

    Legacy: standard id = motor id, 7 x 0xFF then the code. V3: enter/exit use the same
    payload on the MIT id (0x800 + id) (assumption: V3 keeps the special payloads on its MIT
    id); zero is the set-origin frame on 0x500 + id with one byte, 0 = temporary origin
    (lost at power-off), 1 = permanent (written to flash).
    """
    _check_id(motor_id)
    if firmware == "v3":
        if kind is SpecialCommand.SET_ZERO:
            return CanFrame(V3_SET_ORIGIN_BASE + motor_id, True, bytes((1 if permanent_origin else 0,)))
        return CanFrame(V3_MIT_BASE + motor_id, True, _SPECIAL_PREFIX + bytes((int(kind),)))
    return CanFrame(motor_id, False, _SPECIAL_PREFIX + bytes((int(kind),)))


def parse_special(data: bytes) -> SpecialCommand | None:
    """Return the special command a payload carries, or None for an ordinary command."""
    if len(data) == 8 and data[:7] == _SPECIAL_PREFIX:
        try:
            return SpecialCommand(data[7])
        except ValueError:
            raise MalformedFrameError(f"special frame with unknown code 0x{data[7]:02X}") from None
    return None


# --- replies -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MotorReply:
    """A decoded reply in motor frame. ``temperature_c``/``error_code`` are None when the
    firmware did not report them (old 6-byte replies); ``current_a`` only comes from V3."""

    motor_id: int
    position_rad: float
    velocity_rad_s: float
    torque_nm: float
    temperature_c: float | None
    error_code: int | None
    position_span_rad: float  # period of the reported-position wrap, for unwrapping
    current_a: float | None = None

    @property
    def error_name(self) -> str:
        return error_name(self.error_code)


def legacy_reply_motor_id(data: bytes) -> int:
    """Motor id of a legacy reply (D0); validates the length first."""
    if len(data) not in (6, 8):
        raise MalformedFrameError(f"legacy reply must have 6 or 8 data bytes, got {len(data)}: {data.hex()}")
    return data[0]


def decode_legacy_reply(data: bytes, ranges: MotorRanges) -> MotorReply:
    """Decode an 8-byte (or old 6-byte, no temperature/error) legacy reply."""
    motor_id = legacy_reply_motor_id(data)
    p = (data[1] << 8) | data[2]
    v = (data[3] << 4) | (data[4] >> 4)
    i = ((data[4] & 0xF) << 8) | data[5]
    r = ranges
    return MotorReply(
        motor_id=motor_id,
        position_rad=uint_to_float(p, r.p_min_rad, r.p_max_rad, 16),
        velocity_rad_s=uint_to_float(v, r.v_min_rad_s, r.v_max_rad_s, 12),
        torque_nm=uint_to_float(i, r.t_min_nm, r.t_max_nm, 12),
        temperature_c=float(data[6]) if len(data) == 8 else None,
        error_code=data[7] if len(data) == 8 else None,
        position_span_rad=r.position_span_rad,
    )


def encode_legacy_reply(motor_id: int, position_rad: float, velocity_rad_s: float,
                        torque_nm: float, temperature_c: float, error_code: int,
                        ranges: MotorRanges, *, short: bool = False) -> CanFrame:
    """Build a legacy reply payload (emulator side). ``short`` gives the old 6-byte form."""
    _check_id(motor_id)
    r = ranges
    p = float_to_uint(position_rad, r.p_min_rad, r.p_max_rad, 16).value
    v = float_to_uint(velocity_rad_s, r.v_min_rad_s, r.v_max_rad_s, 12).value
    i = float_to_uint(torque_nm, r.t_min_nm, r.t_max_nm, 12).value
    data = bytes((motor_id, p >> 8, p & 0xFF, v >> 4, ((v & 0xF) << 4) | (i >> 8), i & 0xFF))
    if not short:
        data += bytes((min(max(round(temperature_c), 0), 255), error_code & 0xFF))
    return CanFrame(0, False, data)


_V3_REPLY = struct.Struct(">hhhbB")


def rad_s_to_v3_speed(velocity_rad_s: float, c: MotorConstants) -> float:
    """Output-shaft rad/s -> V3 speed LSBs (rotor electrical rpm / 10)."""
    erpm = velocity_rad_s * 60.0 / (2.0 * math.pi) * c.gear_ratio * c.pole_pairs
    return erpm / V3_SPEED_ERPM_PER_LSB


def v3_speed_to_rad_s(raw: int, c: MotorConstants) -> float:
    """V3 speed LSBs -> output-shaft rad/s (see ``V3_SPEED_ERPM_PER_LSB``)."""
    erpm = raw * V3_SPEED_ERPM_PER_LSB
    return erpm / (c.pole_pairs * c.gear_ratio) * 2.0 * math.pi / 60.0


def _int16(x: float) -> int:
    return min(max(math.floor(x + 0.5), -32768), 32767)


def encode_v3_reply(motor_id: int, position_rad: float, velocity_rad_s: float,
                    current_a: float, temperature_c: float, error_code: int,
                    constants: MotorConstants) -> CanFrame:
    """Build a V3 reply (emulator side); position wraps like the int16 it is sent in."""
    _check_id(motor_id)
    pos = math.floor(math.degrees(position_rad) / V3_POSITION_DEG_PER_LSB + 0.5)
    pos = (pos + 32768) % 65536 - 32768
    data = _V3_REPLY.pack(
        pos, _int16(rad_s_to_v3_speed(velocity_rad_s, constants)),
        _int16(current_a / V3_CURRENT_A_PER_LSB),
        min(max(round(temperature_c), -128), 127), error_code & 0xFF,
    )
    return CanFrame(V3_REPLY_BASE + motor_id, True, data)


def v3_reply_motor_id(arbitration_id: int) -> int | None:
    """Motor id if the extended id is a V3 reply id (0x2900 + id), else None."""
    if arbitration_id & ~0xFF == V3_REPLY_BASE:
        return arbitration_id & 0xFF
    return None


def decode_v3_reply(arbitration_id: int, data: bytes, constants: MotorConstants) -> MotorReply:
    """Decode a V3 reply: int16 position x0.1 deg, int16 speed x10 eRPM, int16 current
    x0.01 A, int8 temperature, uint8 error. Torque is current x output-side Kt (estimate)."""
    motor_id = v3_reply_motor_id(arbitration_id)
    if motor_id is None:
        raise MalformedFrameError(f"id 0x{arbitration_id:X} is not a V3 reply id (0x2900 + motor id)")
    if len(data) != _V3_REPLY.size:
        raise MalformedFrameError(f"V3 reply must have {_V3_REPLY.size} data bytes, got {len(data)}: {data.hex()}")
    pos, speed, cur, temp, err = _V3_REPLY.unpack(data)
    current_a = cur * V3_CURRENT_A_PER_LSB
    return MotorReply(
        motor_id=motor_id,
        position_rad=math.radians(pos * V3_POSITION_DEG_PER_LSB),
        velocity_rad_s=v3_speed_to_rad_s(speed, constants),
        torque_nm=current_a * constants.kt_out_nm_per_a,
        temperature_c=float(temp),
        error_code=err,
        position_span_rad=math.radians(65536 * V3_POSITION_DEG_PER_LSB),
        current_a=current_a,
    )
