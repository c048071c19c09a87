"""Read-out of the exo's own sensors with noise, per-episode bias and latency (numpy, seeded).

Layout of one read-out (22 values), matching the device:
pelvis gyro xyz, pelvis acc xyz, left thigh gyro xyz, left thigh acc xyz, right thigh gyro xyz,
right thigh acc xyz, hip angle (left, right), hip velocity (left, right).
IMU frames: x forward, y left, z up at the reference pose (exo_interfaces.contract).
"""

from __future__ import annotations

import numpy as np

from exo_sim.env.config import DeviceSensorConfig
from exo_sim.models.build import ModelIndex
from exo_sim.models.exo import HIP_JOINTS, IMU_SITES

NAMES: tuple[str, ...] = tuple(
    f"{site}_{kind}_{axis}" for site in IMU_SITES for kind in ("gyro", "acc") for axis in "xyz"
) + tuple(f"{j}_pos" for j in HIP_JOINTS) + tuple(f"{j}_vel" for j in HIP_JOINTS)
DIM = len(NAMES)


def device_columns(index: ModelIndex) -> np.ndarray:
    """Columns of sensordata that make up the 22 device values, in :data:`NAMES` order."""
    cols: list[int] = []
    for site in IMU_SITES:
        for kind in ("gyro", "acc"):
            sl = index.sensor(f"{site}_{kind}")
            cols.extend(range(sl.start, sl.stop))
    for suffix in ("pos", "vel"):
        for joint in HIP_JOINTS:
            cols.append(index.sensor(f"{joint}_{suffix}").start)
    return np.asarray(cols)


class DeviceSensors:
    """Turns true sensor values of N envs into what the device would report."""

    def __init__(self, cfg: DeviceSensorConfig, num_envs: int, rate_hz: float) -> None:
        noise = np.concatenate([
            np.tile(np.r_[np.full(3, cfg.gyro_noise_rps), np.full(3, cfg.acc_noise_mps2)], 3),
            np.full(2, cfg.encoder_noise_rad), np.full(2, cfg.encoder_vel_noise_rps),
        ])
        bias = np.concatenate([np.tile(np.r_[np.full(3, cfg.gyro_bias_rps), np.full(3, cfg.acc_bias_mps2)], 3), np.zeros(4)])
        self._noise_sd = noise
        self._bias_sd = bias
        self.delay = int(round(cfg.latency_s * rate_hz))
        self.bias = np.zeros((num_envs, DIM))
        self._buffer = np.zeros((self.delay + 1, num_envs, DIM))
        self._head = 0

    def reset(self, i: int, true_values: np.ndarray, rng: np.random.Generator) -> None:
        """New bias for env i; the latency buffer is filled with its current true values."""
        self.bias[i] = rng.normal(0.0, self._bias_sd)
        self._buffer[:, i] = true_values

    def read(self, true_values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        """(N, 22) true values now -> (N, 22) reported values (delayed, biased, noisy)."""
        self._buffer[self._head] = true_values
        oldest = (self._head + 1) % len(self._buffer)
        self._head = oldest
        delayed = self._buffer[oldest] if self.delay else true_values
        return delayed + self.bias + rng.normal(0.0, 1.0, true_values.shape) * self._noise_sd
