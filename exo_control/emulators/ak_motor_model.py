"""Physics and firmware behaviour of one emulated AK motor (no bus, no threads).

Rotor: J dv/dt = tau - b v, with tau = kp (p* - p) + kd (v* - v) + t_ff evaluated every
substep (the real drive closes this loop at tens of kHz) and saturated at the model's
torque range. Thermal: C dT/dt = I^2 R - (T - T_amb) / R_th with I = tau / Kt.
Firmware: commands are stored in any mode but only drive the rotor in motor mode (so a
stale set-point is applied the moment 0xFC arrives: the "kick at enable" field problem);
above ``over_temperature_c`` the drive reports error 1 and outputs no torque.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from exo_control.drivers.ak_models import MotorConstants, MotorRanges
from exo_control.drivers.ak_protocol import (
    ZERO_TORQUE,
    CanFrame,
    MitCommand,
    MotorErrorCode,
    encode_legacy_reply,
    encode_v3_reply,
)
from exo_interfaces.params import check_fields


@dataclass(frozen=True, kw_only=True)
class RotorParams:
    """Emulated plant and thermal parameters (output side, SI)."""

    inertia_kg_m2: float = field(default=0.003, metadata={"doc": "Rotor + link inertia.", "gt": 0.0})
    damping_nm_s_per_rad: float = field(default=0.02, metadata={"doc": "Viscous damping.", "ge": 0.0})
    ambient_c: float = field(default=25.0, metadata={"doc": "Ambient temperature.", "ge": -40.0, "le": 80.0})
    heat_capacity_j_per_k: float = field(default=30.0, metadata={"doc": "Winding heat capacity.", "gt": 0.0})
    thermal_resistance_k_per_w: float = field(default=2.0, metadata={"doc": "Winding to ambient.", "gt": 0.0})
    over_temperature_c: float = field(default=90.0, metadata={"doc": "Drive trips error 1 above this.", "gt": 0.0})
    substep_s: float = field(default=0.0005, metadata={"doc": "Integration substep.", "gt": 0.0, "le": 0.01})

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass
class MotorPhysicsState:
    position_rad: float = 0.0  # true, continuous (never wraps)
    velocity_rad_s: float = 0.0
    torque_nm: float = 0.0  # torque the drive applied in the last substep
    temperature_c: float = 25.0
    motor_mode: bool = False
    origin_rad: float = 0.0  # true position that reads as 0 after set-zero
    setpoint: MitCommand = field(default_factory=lambda: ZERO_TORQUE)
    peak_abs_torque_nm: float = 0.0  # since the last reset_peak(); the "kick" detector


class EmulatedMotor:
    """One motor's plant + firmware. Deterministic: time only enters through ``advance``."""

    def __init__(self, motor_id: int, ranges: MotorRanges, constants: MotorConstants,
                 params: RotorParams) -> None:
        self.motor_id = motor_id
        self.ranges = ranges
        self.constants = constants
        self.params = params
        self.state = MotorPhysicsState(temperature_c=params.ambient_c)
        self.over_temperature_latched = False

    @property
    def error_code(self) -> int:
        return int(MotorErrorCode.OVER_TEMPERATURE) if self.over_temperature_latched else 0

    def reset_peak(self) -> None:
        self.state.peak_abs_torque_nm = 0.0

    def advance(self, dt_s: float) -> None:
        """Integrate the plant over ``dt_s`` (semi-implicit Euler, fixed substeps)."""
        if dt_s <= 0.0:
            return
        p = self.params
        s = self.state
        n = max(1, math.ceil(dt_s / p.substep_s))
        h = dt_s / n
        for _ in range(n):
            tau = self._drive_torque()
            s.velocity_rad_s += h * (tau - p.damping_nm_s_per_rad * s.velocity_rad_s) / p.inertia_kg_m2
            s.position_rad += h * s.velocity_rad_s
            current_a = tau / self.constants.kt_out_nm_per_a
            heat_w = current_a * current_a * self.constants.winding_resistance_ohm
            cool_w = (s.temperature_c - p.ambient_c) / p.thermal_resistance_k_per_w
            s.temperature_c += h * (heat_w - cool_w) / p.heat_capacity_j_per_k
            s.torque_nm = tau
            s.peak_abs_torque_nm = max(s.peak_abs_torque_nm, abs(tau))
        self._update_protection()

    def _drive_torque(self) -> float:
        s = self.state
        if not s.motor_mode or self.over_temperature_latched:
            return 0.0
        c = s.setpoint
        tau = (c.kp_nm_per_rad * (c.position_rad - (s.position_rad - s.origin_rad))
               + c.kd_nm_s_per_rad * (c.velocity_rad_s - s.velocity_rad_s) + c.torque_nm)
        return min(max(tau, self.ranges.t_min_nm), self.ranges.t_max_nm)

    def _update_protection(self) -> None:
        t = self.state.temperature_c
        if t > self.params.over_temperature_c:
            self.over_temperature_latched = True
        elif t < self.params.over_temperature_c - 10.0:  # hysteresis, as drives do
            self.over_temperature_latched = False

    def set_temperature(self, temperature_c: float) -> None:
        """Fault injection: jump the winding temperature (then the model cools it)."""
        self.state.temperature_c = temperature_c
        self._update_protection()

    # --- firmware actions ------------------------------------------------------------

    def enter_motor_mode(self) -> None:
        self.state.motor_mode = True

    def exit_motor_mode(self) -> None:
        self.state.motor_mode = False

    def set_zero(self) -> None:
        self.state.origin_rad = self.state.position_rad

    def set_command(self, cmd: MitCommand) -> None:
        self.state.setpoint = cmd

    def reply(self, *, short: bool = False, error_code: int | None = None) -> CanFrame:
        """The status frame the firmware sends back (position relative to the origin,
        wrapped into the encodable range like the real encoder count)."""
        s = self.state
        code = self.error_code if error_code is None else error_code
        rel = s.position_rad - s.origin_rad
        if self.ranges.firmware == "v3":
            return encode_v3_reply(self.motor_id, rel, s.velocity_rad_s,
                                   s.torque_nm / self.constants.kt_out_nm_per_a,
                                   s.temperature_c, code, self.constants)
        span = self.ranges.position_span_rad
        wrapped = (rel - self.ranges.p_min_rad) % span + self.ranges.p_min_rad
        return encode_legacy_reply(self.motor_id, wrapped, s.velocity_rad_s, s.torque_nm,
                                   s.temperature_c, code, self.ranges, short=short)
