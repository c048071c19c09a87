"""The safety governor: the only way a torque request becomes a torque command.

Pure logic (no I/O) so every rule is unit-tested; the safety node wires it to topics.
Rules, applied each control period dt:
- a request must be finite; otherwise a latched fault.
- requests are clamped to ``torque_limit_nm`` (config, itself capped at the motor rating).
- the output gain ramps 0 -> 1 over ``soft_start_s`` after enable, and back to 0 over
  ``soft_stop_s`` on disable, so enabling never produces a torque step;
- on any fault the output ramps to zero within ``fault_ramp_s`` regardless of the request;
- the output never changes faster than ``slew_limit_nm_per_s`` (except toward zero on a fault,
  where the fault ramp governs).
Faults are latched until :meth:`clear_faults`; while any is latched, enable is refused.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from exo_interfaces.params import param

#: Continuous torque an AK80-9 can be asked for (REFERENCE.md: +/-18 Nm), the hard ceiling.
MOTOR_RATING_NM = 18.0


@dataclass(frozen=True, kw_only=True)
class SafetyConfig:
    """Parameters of the safety node (section ``safety`` in config/*.yaml)."""

    rate_hz: float = param(200.0, "Control loop rate (Hz).", ge=100.0, le=500.0)
    torque_limit_nm: float = param(15.0, "Clamp on each hip torque (Nm).", gt=0.0, le=MOTOR_RATING_NM)
    slew_limit_nm_per_s: float = param(300.0, "Maximum rate of change of the command (Nm/s).", gt=0.0)
    soft_start_s: float = param(1.0, "Ramp-in time of assistance after enable (s).", ge=0.0, le=10.0)
    soft_stop_s: float = param(0.5, "Ramp-out time of assistance after disable (s).", ge=0.0, le=10.0)
    fault_ramp_s: float = param(0.05, "Time for a full-scale command to reach zero on a fault (s).", gt=0.0, le=1.0)
    sensor_timeout_s: float = param(0.05, "IMU and joint-state data older than this is a fault (s).", gt=0.0, le=1.0)
    policy_timeout_s: float = param(0.05, "Torque requests older than this are a fault (s).", gt=0.0, le=1.0)
    max_motor_temperature_c: float = param(70.0, "Motor temperature cut-off (deg C).", gt=0.0, le=100.0)
    enable_on_start: bool = param(False, "Request assistance as soon as the node starts (sim trials).")
    diagnostics_rate_hz: float = param(2.0, "Rate of /diagnostics reports (Hz).", gt=0.0, le=50.0)


class SafetyGovernor:
    """Clamp, slew limit, ramps and latched faults for the two hip torques."""

    def __init__(self, config: SafetyConfig):
        self.config = config
        self.enabled = False
        self.gain = 0.0
        self.output_nm = np.zeros(2)
        self._target_nm = np.zeros(2)
        self.faults: dict[str, str] = {}
        self.fault_log: list[tuple[str, str]] = []

    # -- inputs ------------------------------------------------------------------------
    def set_request(self, torque_nm: NDArray[np.float64]) -> str | None:
        """A new policy request (Nm, left/right). Returns why it was rejected, or None.

        A rejected request latches the fault ``policy_output_invalid`` and is never used.
        """
        request = np.asarray(torque_nm, dtype=np.float64)
        error = None
        if request.shape != (2,):
            error = f"torque request has shape {request.shape}, expected (2,)"
        elif not np.all(np.isfinite(request)):
            error = f"torque request is not finite: {request.tolist()}"
        if error is not None:
            self.fault("policy_output_invalid", error)
            return error
        limit = self.config.torque_limit_nm
        self._target_nm = np.clip(request, -limit, limit)
        return None

    def fault(self, name: str, message: str) -> bool:
        """Latch a fault; returns True if it is new."""
        if name in self.faults:
            return False
        self.faults[name] = message
        self.fault_log.append((name, message))
        return True

    def clear_faults(self) -> list[str]:
        """Clear latched faults; assistance stays disabled until enabled again."""
        cleared = sorted(self.faults)
        self.faults.clear()
        self.enabled = False
        return cleared

    def enable(self, on: bool) -> tuple[bool, str]:
        if on and self.faults:
            return False, f"cannot enable with latched faults: {', '.join(sorted(self.faults))}"
        self.enabled = on
        return True, "assistance ramping in" if on else "assistance ramping out"

    # -- output ------------------------------------------------------------------------
    def step(self, dt_s: float) -> NDArray[np.float64]:
        """Advance one control period; returns the torque command (Nm, left/right)."""
        cfg = self.config
        if self.faults:
            self.enabled = False
            # Fixed-slope ramp: a full-scale command reaches zero within fault_ramp_s.
            max_step = cfg.torque_limit_nm * dt_s / cfg.fault_ramp_s
            self.gain = 0.0
            self.output_nm = _toward(self.output_nm, np.zeros(2), max_step)
            return self.output_nm.copy()
        if self.enabled:
            rate = math.inf if cfg.soft_start_s == 0 else dt_s / cfg.soft_start_s
            self.gain = min(1.0, self.gain + rate)
        else:
            rate = math.inf if cfg.soft_stop_s == 0 else dt_s / cfg.soft_stop_s
            self.gain = max(0.0, self.gain - rate)
        desired = self.gain * self._target_nm
        self.output_nm = _toward(self.output_nm, desired, cfg.slew_limit_nm_per_s * dt_s)
        return self.output_nm.copy()

    def zero_now(self) -> NDArray[np.float64]:
        """Immediate zero (shutdown): removing assistance is always safe for the wearer."""
        self.enabled = False
        self.gain = 0.0
        self.output_nm = np.zeros(2)
        return self.output_nm.copy()


def _toward(current: NDArray[np.float64], target: NDArray[np.float64], max_step: float) -> NDArray[np.float64]:
    return current + np.clip(target - current, -max_step, max_step)
