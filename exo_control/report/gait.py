"""Gait events and stride normalisation.

Without a ground-reaction-force topic the stride is segmented at the **peak hip flexion** of each
leg (from /exo/joint_states position): in walking the hip reaches maximal flexion in late swing,
just before heel strike, so consecutive peaks delimit one stride of that leg (0 % = peak
flexion ~ heel strike, 100 % = the next one). Where joint angles are missing, the same event is
taken from the thigh gyro: the downward zero crossing of the flexion rate (the end of flexion).
Strides shorter or longer than 0.7x / 1.3x the median (turns, stops, missed peaks) are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.signal import find_peaks

Array = NDArray[np.float64]

#: Points of a stride-normalised curve (0..100 % in 1 % steps).
N_POINTS = 101


@dataclass(frozen=True)
class StrideProfile:
    """Stride-normalised curves of one signal: mean and sd over strides (shape (N_POINTS,))."""

    phase_pct: Array
    mean: Array
    sd: Array
    n_strides: int


def events_from_angle(t: Array, angle: Array, *, min_stride_s: float = 0.5, prominence_rad: float = 0.1) -> Array:
    """Times (s) of peak hip flexion of one leg."""
    ok = np.isfinite(angle)
    if ok.sum() < 3:
        return np.zeros(0)
    t, angle = t[ok], angle[ok]
    dt = float(np.median(np.diff(t))) if len(t) > 1 else 1.0
    peaks, _ = find_peaks(angle, distance=max(1, int(min_stride_s / dt)), prominence=prominence_rad)
    return t[peaks]


def events_from_gyro(t: Array, rate: Array, *, min_stride_s: float = 0.5) -> Array:
    """Times (s) where the flexion rate crosses zero downwards (end of flexion), at least min_stride_s apart."""
    ok = np.isfinite(rate)
    t, rate = t[ok], rate[ok]
    idx = np.nonzero((rate[:-1] > 0) & (rate[1:] <= 0))[0]
    out: list[float] = []
    for i in idx:
        # Linear interpolation of the crossing time.
        tc = t[i] + (t[i + 1] - t[i]) * rate[i] / (rate[i] - rate[i + 1])
        if not out or tc - out[-1] >= min_stride_s:
            out.append(float(tc))
    return np.asarray(out)


def strides(events: Array, *, tolerance: float = 0.3) -> list[tuple[float, float]]:
    """(start, end) of each stride between consecutive events, outliers in duration dropped."""
    if len(events) < 2:
        return []
    pairs = list(zip(events[:-1], events[1:]))
    med = float(np.median(np.diff(events)))
    return [(float(a), float(b)) for a, b in pairs if (1 - tolerance) * med <= b - a <= (1 + tolerance) * med]


def normalise(t: Array, y: Array, segments: list[tuple[float, float]]) -> Array:
    """Each stride of y(t) resampled on 0..100 % (shape (n_strides, N_POINTS))."""
    phase = np.linspace(0.0, 1.0, N_POINTS)
    out = [np.interp(a + phase * (b - a), t, y) for a, b in segments if t[0] <= a and b <= t[-1]]
    return np.asarray(out).reshape(len(out), N_POINTS)


def profile(t: Array, y: Array, segments: list[tuple[float, float]], scale: float = 1.0) -> StrideProfile:
    """Mean +/- sd over strides of y (times ``scale``, e.g. 1/body mass)."""
    curves = normalise(t, y, segments) * scale
    pct = np.linspace(0.0, 100.0, N_POINTS)
    if len(curves) == 0:
        nan = np.full(N_POINTS, np.nan)
        return StrideProfile(pct, nan, nan, 0)
    return StrideProfile(pct, curves.mean(axis=0), curves.std(axis=0, ddof=1) if len(curves) > 1 else np.zeros(N_POINTS),
                         len(curves))
