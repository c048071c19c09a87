"""Gait phase of each leg from its thigh's sagittal angle: the phase portrait of the angle against
its integral.

The heel-strike clock (``WalkVecEnv.phase``) extrapolates from the last stride and holds at its end
when a stride runs longer, and a foot scuffing the ground in swing restarts it; on the stop-15
walker it holds 20 % of the time, and a profile timed by it freezes there. The phase portrait needs
no events: the thigh angle and its integral go round an ellipse once per stride, so the polar angle
of the normalised point is a phase that moves with the leg, stride by stride (the thigh-angle phase
variable of Quintero et al. 2018, used on hip exos because the angle comes from the thigh IMU):

    phase = atan2((I - I_mean) / I_scale, (angle - angle_mean) / angle_scale) / 2 pi   (mod 1),
    I = integral of (angle - angle_mean) dt

Phase 0 is peak thigh flexion (late swing, about heel strike), 0.5 peak extension (about toe-off).
The integral, smoother than the angle's rate (whose swing peak is 3-8x its stance value), keeps
the phase from running backwards (the rate portrait did in 20 % of 160 Hz ticks on that walker,
the integral in none: artifacts/teacher/tuning/probes/thigh_phase.txt). Centres and scales are
running means (mean absolute deviation on both axes, so a sinusoid is a circle) over
``time_constant_s``, since both change with speed and slope.

While those settle from their reset values the polar angle can turn a quarter stride in a few
ticks, forwards or backwards (a 1.2 m/s level walker's first 4 s: stop 44,
artifacts/closed_loop/probes/phase_rate_limit.txt), and a profile timed by it switches its pulses
on and off. With ``max_rate_hz`` > 0 the phase only advances, by at most that many strides per
second, and holds where the estimate is behind it; the first update after a reset takes the
estimate as it is (the start pose's phase). The limit then holds the clock up to a tenth of a
stride behind a settled one for seconds (stop 45, artifacts/closed_loop/probes/start_phase_error.txt),
so a reset may also start the running means from values measured on the walk itself
(``reset(i, start)``, e.g. per commanded speed: :func:`start_values`).
"""

from __future__ import annotations

import numpy as np

#: At reset: thigh angle mean (rad), its mean |deviation| (rad), and the integral's mean
#: |deviation| (rad s), for adult walking at about 1 stride/s.
_AT_RESET = (0.08, 0.2, 0.03)
#: Floors of the two scales (rad, rad s): a leg held still must not divide by zero.
_MIN_SCALE = (0.01, 0.002)


class ThighPhase:
    """Per-leg phase in [0, 1) of N envs, (N, 2): left, right."""

    def __init__(self, num_envs: int, time_constant_s: float = 1.5, max_rate_hz: float = 0.0) -> None:
        if not time_constant_s > 0.0:
            raise ValueError(f"ThighPhase: time_constant_s must be > 0, got {time_constant_s}")
        if not (np.isfinite(max_rate_hz) and max_rate_hz >= 0.0):
            raise ValueError(f"ThighPhase: max_rate_hz must be >= 0 (0 = unlimited), got {max_rate_hz}")
        self.time_constant_s = time_constant_s
        self.max_rate_hz = max_rate_hz
        shape = (num_envs, 2)
        self.angle_mean, self.angle_scale = np.full(shape, _AT_RESET[0]), np.full(shape, _AT_RESET[1])
        self.integral, self.integral_mean, self.integral_scale = np.zeros(shape), np.zeros(shape), np.full(shape, _AT_RESET[2])
        self.phase = np.zeros(shape)
        self._fresh = np.ones(shape, dtype=bool)  # no phase yet since the reset: take the estimate as it is

    def reset(self, i: int, start: tuple[float, float, float] | None = None) -> None:
        """Restart env ``i``'s legs from ``start`` (thigh angle centre rad, its mean |deviation| rad,
        the integral's mean |deviation| rad s), else from adult walking at about 1 stride/s."""
        mean, scale, integral_scale = _AT_RESET if start is None else start
        self.angle_mean[i], self.angle_scale[i] = mean, scale
        self.integral[i] = self.integral_mean[i] = 0.0
        self.integral_scale[i] = integral_scale
        self.phase[i] = 0.0
        self._fresh[i] = True

    def update(self, angle_rad: np.ndarray, dt_s: float) -> np.ndarray:
        """Thigh flexion angles from vertical (rad), (N, 2), ``dt_s`` after the last update ->
        phases (N, 2). A non-finite angle leaves that leg's estimate as it was."""
        ok = np.isfinite(angle_rad)
        k = min(1.0, dt_s / self.time_constant_s)
        dev = np.where(ok, angle_rad - self.angle_mean, 0.0)
        self.angle_mean += k * dev
        self.angle_scale += np.where(ok, k * (np.abs(dev) - self.angle_scale), 0.0)
        self.integral += dev * dt_s
        idev = self.integral - self.integral_mean
        self.integral_mean += np.where(ok, k * idev, 0.0)
        self.integral_scale += np.where(ok, k * (np.abs(idev) - self.integral_scale), 0.0)
        polar = np.arctan2(idev / np.maximum(self.integral_scale, _MIN_SCALE[1]),
                           dev / np.maximum(self.angle_scale, _MIN_SCALE[0]))
        estimate = (polar / (2.0 * np.pi)) % 1.0
        if self.max_rate_hz > 0.0:
            ahead = (estimate - self.phase) % 1.0  # more than half a stride ahead is read as behind: hold
            step = np.where(ahead > 0.5, 0.0, np.minimum(ahead, self.max_rate_hz * dt_s))
            estimate = np.where(self._fresh, estimate, (self.phase + step) % 1.0)
        self.phase = np.where(ok, estimate, self.phase)
        self._fresh &= ~ok
        return self.phase


def start_values(table: tuple[tuple[float, float, float, float], ...], speed_mps: float) -> tuple[float, float, float] | None:
    """Reset values at a commanded speed from rows (speed m/s, angle centre rad, angle scale rad,
    integral scale rad s), speeds ascending: linear between rows, the end rows beyond them; None
    for an empty table (the fixed values)."""
    if not table:
        return None
    rows = np.asarray(table, dtype=float)
    mean, scale, integral_scale = (float(np.interp(speed_mps, rows[:, 0], rows[:, k])) for k in (1, 2, 3))
    return mean, scale, integral_scale
