"""AK-series actuator data: MIT-mode ranges per model and firmware, and motor constants.

Sources: CubeMars AK manual V1.0.8 section 5.3 (legacy ranges) and the firmware-V3 notes in
/work/shared/REFERENCE.md. Only the AK80-9 V3 ranges are given there; the other V3 entries
keep the legacy velocity/torque ranges with the V3 position range and are flagged
``verified=False`` until checked against the V3 manual of that model.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal, get_args

from exo_control.drivers.errors import UnknownModelError

ModelName = Literal["AK80-9", "AK60-6", "AK70-10", "AK10-9", "AK80-6", "AK80-64"]
Firmware = Literal["legacy", "v3"]

MODEL_NAMES: tuple[str, ...] = get_args(ModelName)
FIRMWARES: tuple[str, ...] = get_args(Firmware)


@dataclass(frozen=True)
class MotorRanges:
    """Encoding ranges of one model under one firmware (output-shaft SI units)."""

    model: str
    firmware: str
    p_min_rad: float
    p_max_rad: float
    v_min_rad_s: float
    v_max_rad_s: float
    t_min_nm: float
    t_max_nm: float
    kp_min_nm_per_rad: float = 0.0
    kp_max_nm_per_rad: float = 500.0
    kd_min_nm_s_per_rad: float = 0.0
    kd_max_nm_s_per_rad: float = 5.0
    verified: bool = True

    def __post_init__(self) -> None:
        pairs = {
            "position": (self.p_min_rad, self.p_max_rad),
            "velocity": (self.v_min_rad_s, self.v_max_rad_s),
            "torque": (self.t_min_nm, self.t_max_nm),
            "kp": (self.kp_min_nm_per_rad, self.kp_max_nm_per_rad),
            "kd": (self.kd_min_nm_s_per_rad, self.kd_max_nm_s_per_rad),
        }
        for name, (lo, hi) in pairs.items():
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ValueError(f"{self.model}/{self.firmware}: {name} range [{lo}, {hi}] is empty")

    @property
    def rated_torque_nm(self) -> float:
        """Largest torque magnitude the frame can carry: the ceiling for any torque limit."""
        return min(-self.t_min_nm, self.t_max_nm)

    @property
    def position_span_rad(self) -> float:
        """Width of the encoded position range: the period of the reported-position wrap."""
        return self.p_max_rad - self.p_min_rad


@dataclass(frozen=True)
class MotorConstants:
    """Electromechanical constants used to convert V3 replies (speed in eRPM, current in A).

    Assumed values (datasheet-level, not measured here): pole pairs and gear ratio follow the
    model name; ``kt_out_nm_per_a`` is the output-side torque constant (rotor Kt x gear ratio).
    """

    pole_pairs: int
    gear_ratio: float
    kt_out_nm_per_a: float
    winding_resistance_ohm: float


def _sym(model: str, firmware: str, p: float, v: float, t: float, verified: bool) -> MotorRanges:
    return MotorRanges(
        model=model, firmware=firmware, p_min_rad=-p, p_max_rad=p, v_min_rad_s=-v,
        v_max_rad_s=v, t_min_nm=-t, t_max_nm=t, verified=verified,
    )


# (velocity rad/s, torque Nm) per model under legacy firmware, manual V1.0.8.
_LEGACY_VT: dict[str, tuple[float, float]] = {
    "AK80-9": (50.0, 18.0),
    "AK60-6": (45.0, 15.0),
    "AK70-10": (50.0, 25.0),
    "AK10-9": (50.0, 65.0),
    "AK80-6": (76.0, 12.0),
    "AK80-64": (8.0, 144.0),
}
_V3_OVERRIDES: dict[str, tuple[float, float, float]] = {"AK80-9": (12.56, 65.0, 18.0)}


def _build_table() -> Mapping[tuple[str, str], MotorRanges]:
    table: dict[tuple[str, str], MotorRanges] = {}
    for model, (v, t) in _LEGACY_VT.items():
        table[(model, "legacy")] = _sym(model, "legacy", 12.5, v, t, verified=True)
        if model in _V3_OVERRIDES:
            p3, v3, t3 = _V3_OVERRIDES[model]
            table[(model, "v3")] = _sym(model, "v3", p3, v3, t3, verified=True)
        else:
            table[(model, "v3")] = _sym(model, "v3", 12.56, v, t, verified=False)
    return MappingProxyType(table)


RANGE_TABLE: Mapping[tuple[str, str], MotorRanges] = _build_table()

MOTOR_CONSTANTS: Mapping[str, MotorConstants] = MappingProxyType({
    "AK80-9": MotorConstants(pole_pairs=21, gear_ratio=9.0, kt_out_nm_per_a=0.819,
                             winding_resistance_ohm=0.17),
    "AK60-6": MotorConstants(pole_pairs=14, gear_ratio=6.0, kt_out_nm_per_a=0.47,
                             winding_resistance_ohm=0.28),
    "AK70-10": MotorConstants(pole_pairs=21, gear_ratio=10.0, kt_out_nm_per_a=1.23,
                              winding_resistance_ohm=0.13),
    "AK10-9": MotorConstants(pole_pairs=21, gear_ratio=9.0, kt_out_nm_per_a=1.44,
                             winding_resistance_ohm=0.09),
    "AK80-6": MotorConstants(pole_pairs=21, gear_ratio=6.0, kt_out_nm_per_a=0.546,
                             winding_resistance_ohm=0.17),
    "AK80-64": MotorConstants(pole_pairs=21, gear_ratio=64.0, kt_out_nm_per_a=7.6,
                              winding_resistance_ohm=0.17),
})


def ranges_for(model: str, firmware: str) -> MotorRanges:
    """Look up the range table; raise ``UnknownModelError`` listing the allowed values."""
    try:
        return RANGE_TABLE[(model, firmware)]
    except KeyError:
        raise UnknownModelError(
            f"no AK range entry for model={model!r} firmware={firmware!r}; "
            f"models: {', '.join(MODEL_NAMES)}; firmwares: {', '.join(FIRMWARES)}"
        ) from None


def constants_for(model: str) -> MotorConstants:
    """Look up the motor constants; raise ``UnknownModelError`` listing the allowed models."""
    try:
        return MOTOR_CONSTANTS[model]
    except KeyError:
        raise UnknownModelError(
            f"no AK motor constants for model={model!r}; models: {', '.join(MODEL_NAMES)}"
        ) from None
