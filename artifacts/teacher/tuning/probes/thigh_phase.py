"""Two thigh phase portraits on a tuned walker (stop 16 probe, the choice behind exo_sim.env.thigh_phase):
angle against rate (the thigh gyro) and angle against its integral (the env's ThighPhase).

    python artifacts/teacher/tuning/probes/thigh_phase.py FILE CONFIG

Level ground, 1.2 m/s, start seed 0, 12 s at 160 Hz, the first 3 s dropped. Reports, for the right
thigh, the share of ticks in which each phase runs backwards, the largest departure from a phase
linear in time within a stride, the heel-strike clock's time at its end, and the thigh phase at
each rise of the right foot's vertical GRF past the heel-strike threshold.
"""

from __future__ import annotations

import dataclasses
import sys

import numpy as np

from exo_interfaces.contract import SAGITTAL_GYRO_SIGN
from exo_sim.env.device_sensors import NAMES
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.evaluate import load_policy

HZ, SECONDS, DROP_S = 160.0, 12.0, 3.0


def rate_portrait(angle: np.ndarray, rate: np.ndarray, dt: float, tau: float = 1.5) -> np.ndarray:
    """atan2(-rate, angle) with running centres and mean-|deviation| scales, as ThighPhase does."""
    centre, scale = np.array([angle[0], 0.0]), np.array([0.2, 1.5])
    out = []
    for x in np.stack([angle, -rate], axis=1):
        dev = x - centre
        centre += dt / tau * dev
        scale += dt / tau * (np.abs(dev) - scale)
        out.append(np.arctan2(dev[1] / scale[1], dev[0] / scale[0]) / (2 * np.pi) % 1.0)
    return np.asarray(out)


def describe(name: str, phase: np.ndarray) -> None:
    step = (np.diff(phase) + 0.5) % 1.0 - 0.5
    wraps = np.flatnonzero(np.diff(phase) < -0.5) + 1
    worst = [np.abs(phase[a:b] - np.arange(b - a) / (b - a)).max() for a, b in zip(wraps[:-1], wraps[1:])]
    print(f"  {name}: runs backwards in {100 * np.mean(step < 0):.1f} % of ticks; largest departure from "
          f"linear in time per stride {np.round(worst, 2).tolist()}")


def main(path: str, config: str) -> None:
    factory, env_cfg, _ = load_policy(reflex=path, config=config)
    env_cfg = dataclasses.replace(env_cfg, assist_clock="thigh", policy_hz=HZ, substeps=4, base_hz=0.0)
    env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
    policy = factory(env)
    obs, _ = env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0, "start_seed": 0})
    gyro_y = env._dev_cols[NAMES.index("imu_thigh_r_gyro_y")]
    angle, rate, thigh, clock, grf = [], [], [], [], []
    hip_r = env._dev_cols[NAMES.index("hip_flexion_r_pos")]
    for _ in range(int(SECONDS * HZ)):
        obs, _, fell, _, _ = env.step(policy(obs))
        sens = env.physics.sensordata[0]
        q = sens[env.cols.pelvis_quat]
        angle.append(sens[hip_r] - 2.0 * np.arctan2(q[2], q[0]))
        rate.append(SAGITTAL_GYRO_SIGN * sens[gyro_y])
        thigh.append(env.thigh.phase[0, 1])
        clock.append(env.phase[0])
        grf.append(-sens[env.cols.grf][5] / env.body_weight_n)
        if fell[0]:
            raise SystemExit(f"{path} fell at {len(thigh) / HZ:.2f} s")
    keep = slice(int(DROP_S * HZ), None)
    print(f"{path} at 1.2 m/s, right thigh, {SECONDS - DROP_S:.0f} s at {HZ:.0f} Hz:")
    describe("angle vs rate", rate_portrait(np.asarray(angle), np.asarray(rate), 1.0 / HZ)[keep])
    describe("angle vs integral (ThighPhase)", np.asarray(thigh)[keep])
    print(f"  heel-strike clock at its end {100 * np.mean(np.asarray(clock)[keep] >= 0.99):.0f} % of ticks")
    contact = np.asarray(grf)[keep] > env_cfg.heel_strike_threshold
    rises = np.flatnonzero(contact[1:] & ~contact[:-1]) + 1
    print(f"  thigh phase at each right-foot contact: {np.round(np.asarray(thigh)[keep][rises], 2).tolist()}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
