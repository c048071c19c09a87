"""Outcome metrics, one definition for training logs, evaluation and reports. Pure numpy.

Notation: T samples at a fixed period dt (s); arrays are (T, ...) with time first.

- Mean muscle activation: mean over muscles and samples, ``mean(a[t, m])``; per stride, the
  same over the samples of each stride.
- Biological joint moment: ``M_bio = M_total - tau_exo`` where M_total is the generalised
  actuator moment at the joint (MuJoCo ``qfrc_actuator``, i.e. the muscles plus the exo motor at
  the hip) and tau_exo the exo motor torque at that joint (0 at knee and ankle).
- Mean positive joint power (W/kg): ``mean_t sum_j max(M_bio[t, j] * omega[t, j], 0) / mass``,
  summed over the listed joints (hip, knee, ankle of both legs).
- Gait events from vertical GRF ``f`` (N) and a threshold ``f_c``: heel strike at sample t when
  ``f[t-1] <= f_c < f[t]``, toe off when ``f[t-1] > f_c >= f[t]``.
- Weight-bearing heel strikes: a heel strike whose contact reaches ``f_load`` before the GRF
  falls back to ``f_c``; a swing foot scuffing the ground (a light, brief touch) is not one.
- Strides: from one heel strike of a foot to the next of the same foot, ``[hs_i, hs_{i+1})``.
- Gait phase: ``(t - hs_i) / (hs_{i+1} - hs_i)`` in [0, 1) inside a stride, NaN outside.
- Stride-normalised profile: each stride resampled (linear interpolation) to 101 points at
  phase 0, 0.01, ..., 1 (the last point is the next heel strike); mean and sd over strides
  (sd with ddof = 0).
- Exo torque per body mass: ``tau / mass`` (Nm/kg).
- Torque agreement (student vs teacher): Pearson r over both sides pooled, and
  ``RMSE = sqrt(mean((s - t)^2)) / mass`` (Nm/kg).
"""

from __future__ import annotations

import numpy as np

PROFILE_POINTS = 101


def mean_activation(activation: np.ndarray) -> float:
    """Mean over muscles and samples of (T, n_muscles) activations."""
    return float(np.mean(activation))


def biological_moment(total_moment_nm: np.ndarray, exo_torque_nm: np.ndarray) -> np.ndarray:
    """Joint moment produced by the body: total actuator moment minus the exo's torque (same shape)."""
    return np.asarray(total_moment_nm) - np.asarray(exo_torque_nm)


def positive_power_per_kg(moment_nm: np.ndarray, omega_rps: np.ndarray, mass_kg: float) -> float:
    """Mean over samples of the summed positive joint power, W/kg. Arrays (T, J)."""
    power = np.maximum(np.asarray(moment_nm) * np.asarray(omega_rps), 0.0).sum(axis=1)
    return float(power.mean() / mass_kg)


def joint_power_per_kg(moment_nm: np.ndarray, omega_rps: np.ndarray, mass_kg: float) -> np.ndarray:
    """Instantaneous joint power per joint, W/kg, (T, J)."""
    return np.asarray(moment_nm) * np.asarray(omega_rps) / mass_kg


def torque_per_kg(torque_nm: np.ndarray, mass_kg: float) -> np.ndarray:
    """Exo torque normalised by body mass, Nm/kg."""
    return np.asarray(torque_nm) / mass_kg


def gait_events(vertical_grf_n: np.ndarray, threshold_n: float) -> tuple[np.ndarray, np.ndarray]:
    """(heel_strike_indices, toe_off_indices) of one foot's vertical GRF (T,)."""
    f = np.asarray(vertical_grf_n)
    above = f > threshold_n
    rising = np.flatnonzero(~above[:-1] & above[1:]) + 1
    falling = np.flatnonzero(above[:-1] & ~above[1:]) + 1
    return rising, falling


def loaded_heel_strikes(vertical_grf_n: np.ndarray, threshold_n: float, load_n: float) -> np.ndarray:
    """Heel strikes of one foot's vertical GRF (T,) whose contact reaches ``load_n`` (N) before it
    ends: the rising edges of :func:`gait_events` that start a weight-bearing stance."""
    f = np.asarray(vertical_grf_n, dtype=float)
    rising, falling = gait_events(f, threshold_n)
    ends = np.append(falling, len(f))[np.searchsorted(falling, rising)]  # each contact's falling edge, or the end
    return np.asarray([r for r, e in zip(rising, ends) if f[r:e].max() >= load_n], dtype=int)


def heel_strikes(vertical_grf_n: np.ndarray, threshold_n: float, load_n: float, min_gap: int) -> np.ndarray:
    """The stride starts of one foot: weight-bearing heel strikes (:func:`loaded_heel_strikes`),
    debounced by ``min_gap`` samples (:func:`debounce`)."""
    return debounce(loaded_heel_strikes(vertical_grf_n, threshold_n, load_n), min_gap)


def debounce(events: np.ndarray, min_gap: int) -> np.ndarray:
    """Keep events at least ``min_gap`` samples after the last kept one (contact chatter is not a
    new heel strike)."""
    kept: list[int] = []
    for e in np.asarray(events, dtype=int):
        if not kept or e - kept[-1] >= min_gap:
            kept.append(int(e))
    return np.asarray(kept, dtype=int)


def strides(heel_strikes: np.ndarray) -> np.ndarray:
    """(n_strides, 2) [start, end) sample indices between consecutive heel strikes."""
    hs = np.asarray(heel_strikes, dtype=int)
    return np.stack([hs[:-1], hs[1:]], axis=1) if len(hs) > 1 else np.zeros((0, 2), dtype=int)


def gait_phase(n_samples: int, heel_strikes: np.ndarray) -> np.ndarray:
    """(T,) phase in [0, 1) within each stride, NaN before the first and after the last heel strike."""
    phase = np.full(n_samples, np.nan)
    for start, end in strides(heel_strikes):
        phase[start:end] = (np.arange(start, end) - start) / (end - start)
    return phase


def stride_profiles(signal: np.ndarray, heel_strikes: np.ndarray, points: int = PROFILE_POINTS) -> np.ndarray:
    """(n_strides, points, ...) each stride of ``signal`` (T, ...) resampled over phase 0..1 inclusive.

    The stride's end point is the next heel strike's sample, so the signal must extend to it.
    """
    x = np.asarray(signal, dtype=float)
    flat = x.reshape(len(x), -1)
    out = []
    grid = np.linspace(0.0, 1.0, points)
    for start, end in strides(heel_strikes):
        if end >= len(x):
            break
        phase = (np.arange(start, end + 1) - start) / (end - start)
        out.append(np.stack([np.interp(grid, phase, flat[start : end + 1, c]) for c in range(flat.shape[1])], axis=1))
    if not out:
        return np.zeros((0, points) + x.shape[1:])
    return np.stack(out).reshape((len(out), points) + x.shape[1:])


def profile_mean_sd(profiles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Mean and sd (ddof 0) over strides of (n_strides, points, ...) profiles."""
    return profiles.mean(axis=0), profiles.std(axis=0)


def per_stride_mean(signal: np.ndarray, heel_strikes: np.ndarray) -> np.ndarray:
    """(n_strides, ...) mean of ``signal`` (T, ...) over each stride's samples [start, end)."""
    x = np.asarray(signal, dtype=float)
    return np.stack([x[s:e].mean(axis=0) for s, e in strides(heel_strikes)]) if len(heel_strikes) > 1 else np.zeros((0,) + x.shape[1:])


def torque_agreement(student_nm: np.ndarray, teacher_nm: np.ndarray, mass_kg: float) -> dict[str, float]:
    """Pearson r (both sides pooled) and RMSE (Nm/kg) between student and teacher torques."""
    s, t = np.asarray(student_nm).ravel(), np.asarray(teacher_nm).ravel()
    if s.std() < 1e-12 or t.std() < 1e-12:
        r = float("nan")
    else:
        r = float(np.corrcoef(s, t)[0, 1])
    return {"pearson_r": r, "rmse_nm_per_kg": float(np.sqrt(np.mean((s - t) ** 2)) / mass_kg)}
