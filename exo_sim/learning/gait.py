"""Gait features of one walk (policy-rate samples) and approximate normal adult reference values.

Definitions (per foot, strides from :mod:`exo_sim.metrics`: heel strike to heel strike of the
same foot, vertical GRF crossing ``threshold`` x body weight; a heel strike less than
``min_stride_s`` after the previous one is contact chatter and ignored; the first ``skip_strides``
strides are dropped as the start-up transient; features are means over the strides of both feet):
- stride frequency (Hz) = 1 / mean stride time;
- step length (m) = mean forward COM travel per stride / 2;
- stance fraction = mean fraction of a stride's samples with the foot loaded;
- hip / knee ROM (deg) = mean over strides of (max - min) sagittal joint angle within the stride;
- pelvis tilt ROM (deg) = the same for the pelvis pitch (the trunk's, on these bodies): people keep
  it within a few degrees, a controller that bows the trunk every step does not;
- peak vertical GRF (body weights) = mean over strides of the foot's largest sample in the stride
  (at the policy rate, so a short impact may fall between samples): people load a foot with about
  1.1-1.3 BW, a gait that drops its swing leg onto the ground lands with several.
"""

from __future__ import annotations

import numpy as np

from exo_sim import metrics

#: Approximate normal adult values for level walking at about 1.2-1.4 m/s (self-selected speed):
#: (low, high, source). Approximate ranges read from common gait references; not speed-matched.
NORMAL_ADULT: dict[str, tuple[float, float, str]] = {
    "stride_frequency_hz": (0.85, 1.05, "cadence ~105-120 steps/min; Perry & Burnfield, Gait Analysis, 2010"),
    "step_length_m": (0.60, 0.80, "stride ~1.3-1.5 m; Perry & Burnfield 2010; Whittle, Gait Analysis, 2007"),
    "stance_fraction": (0.58, 0.64, "stance ~60 % of the gait cycle; Perry & Burnfield 2010"),
    "hip_rom_deg": (35.0, 50.0, "hip ~30 deg flexion to ~10-15 deg extension; Winter, Biomechanics, 2009"),
    "knee_rom_deg": (55.0, 70.0, "knee ~0-5 deg to ~60-65 deg swing flexion; Winter 2009; Perry & Burnfield 2010"),
    "pelvis_tilt_rom_deg": (2.0, 7.0, "sagittal pelvic tilt ~3-5 deg peak to peak per stride; Perry & Burnfield 2010"),
    "peak_grf_bw": (1.0, 1.4, "vertical GRF peaks ~1.1-1.2 BW at loading response and push-off; Winter 2009; Perry & Burnfield 2010"),
}
FEATURES = tuple(NORMAL_ADULT)


def gait_features(dt_s: float, com_x_m: np.ndarray, grf_z_n: np.ndarray, weight_n: float, hip_rad: np.ndarray,
                  knee_rad: np.ndarray, *, pelvis_pitch_rad: np.ndarray | None = None, threshold_bw: float = 0.05,
                  load_bw: float = 0.5, skip_strides: int = 1, min_stride_s: float = 0.4) -> dict[str, float]:
    """Features above from (T,) COM x, (T, 2) vertical GRF, (T, 2) hip and knee angles (left, right)
    and (T,) pelvis pitch (pelvis tilt ROM is NaN without it). Strides start at weight-bearing heel
    strikes (contact past ``threshold_bw`` that reaches ``load_bw``): a scuff in swing is not one."""
    com_x = np.asarray(com_x_m, dtype=float)
    grf = np.asarray(grf_z_n, dtype=float)
    loaded = grf > threshold_bw * weight_n
    per: dict[str, list[float]] = {k: [] for k in FEATURES}
    times: list[float] = []
    for foot in range(grf.shape[1]):
        hs = metrics.heel_strikes(grf[:, foot], threshold_bw * weight_n, load_bw * weight_n, int(round(min_stride_s / dt_s)))
        for start, end in metrics.strides(hs)[skip_strides:]:
            times.append((end - start) * dt_s)
            per["step_length_m"].append((com_x[end] - com_x[start]) / 2.0)
            per["stance_fraction"].append(float(loaded[start:end, foot].mean()))
            per["peak_grf_bw"].append(float(grf[start:end, foot].max() / weight_n))
            per["hip_rom_deg"].append(float(np.rad2deg(np.ptp(hip_rad[start:end + 1, foot]))))
            per["knee_rom_deg"].append(float(np.rad2deg(np.ptp(knee_rad[start:end + 1, foot]))))
            if pelvis_pitch_rad is not None:
                per["pelvis_tilt_rom_deg"].append(float(np.rad2deg(np.ptp(pelvis_pitch_rad[start:end + 1]))))
    out = {k: float(np.mean(v)) if v else float("nan") for k, v in per.items()}
    out["stride_frequency_hz"] = 1.0 / float(np.mean(times)) if times else float("nan")
    out["strides"] = float(len(times))
    return out


def in_normal_range(name: str, value: float) -> bool:
    """True if ``value`` lies in the approximate normal range of feature ``name``."""
    lo, hi, _ = NORMAL_ADULT[name]
    return bool(np.isfinite(value) and lo <= value <= hi)
