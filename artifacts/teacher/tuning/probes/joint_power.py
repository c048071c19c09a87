"""Joint power over the stride of one reflex walk: where a gait gets its work (stop 15 probe).

    python artifacts/teacher/tuning/probes/joint_power.py FILE CONFIG SPEED SLOPE

Left leg, strides from left heel strikes (debounced 0.4 s, first 2 dropped), start seed 0, 12 s.
"""

from __future__ import annotations

import sys

import numpy as np

from exo_sim import metrics
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.compare import walk
from exo_sim.learning.evaluate import load_policy


def main(path: str, config: str, speed: float, slope: float) -> None:
    factory, env_cfg, _ = load_policy(reflex=path, config=config)
    env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
    w = walk(factory(env), env, speed, slope, 0, 12.0)
    s = w.signals
    power = s["moment_bio_nm"] * s["omega_rps"] / env.sim.total_mass_kg  # (T, 6) W/kg: hip, knee, ankle L, then R
    hs, _ = metrics.gait_events(s["grf_z_n"][:, 0], 0.05 * env.body_weight_n)
    hs = metrics.debounce(hs, int(0.4 / w.dt_s))[2:]
    x = s["com_x_m"]
    speed_walked = (x[hs[-1]] - x[hs[0]]) / ((hs[-1] - hs[0]) * w.dt_s)
    print(f"{path} at {speed} m/s, {slope:+g} deg: fell {w.fell}, {len(hs) - 1} strides, {speed_walked:.2f} m/s")
    for j, name in enumerate(("hip", "knee", "ankle")):
        profile = metrics.stride_profiles(power[:, [j, j]], hs)[:, :, 0].mean(axis=0)
        positive = np.mean([np.maximum(power[a:b, j], 0.0).mean() for a, b in zip(hs[:-1], hs[1:], strict=True)])
        print(f"  {name}: peak {profile.max():+.2f} W/kg at {profile.argmax()} % of the stride, "
              f"mean positive {positive:.3f} W/kg")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4]))
