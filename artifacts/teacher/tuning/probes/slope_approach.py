"""Does a walker keep walking once it has walked onto a slope? (stop 15 probe)

    python artifacts/teacher/tuning/probes/slope_approach.py FILE SPEED SLOPE1,SLOPE2,... LEVEL_S RAMP_S [CONFIG]

The env's slope approach (a tuning aid, never used in evaluation): LEVEL_S of level ground, then
the ground tilts to the slope over RAMP_S. Start seed 0, 20 s; reports the time survived.
"""

from __future__ import annotations

import json
import sys

import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.evaluate import env_from_file
from exo_sim.learning.reflex import ReflexBase
from exo_sim.learning.reflex_schedule import reflex_theta

CONFIG = "config/train/reflex_160_upright_slope_node.yaml"


def main(path: str, speed: float, slopes: list[float], level_s: float, ramp_s: float, config: str = CONFIG) -> None:
    data = json.loads(open(path).read())
    theta = reflex_theta(data, path)
    for slope in slopes:
        env = WalkVecEnv(env_from_file(config), 1, nthread=1, autoreset=False)
        env.set_base_controller(ReflexBase(theta, env))
        env.set_slope_approach(level_s, ramp_s)
        env.reset(seed=0, options={"speed_mps": speed, "slope_deg": slope, "start_seed": 0})
        t = 0.0
        for _ in range(int(20 * env.cfg.policy_hz)):
            _, _, fell, _, _ = env.step(np.zeros((1, env.act_layout.size)))
            t += env.cfg.policy_dt_s
            if fell[0]:
                break
        print(f"{speed} m/s, {slope:+g} deg after {level_s:g} s level and a {ramp_s:g} s ramp: survived {t:.1f} s")
        env.close()


if __name__ == "__main__":
    main(sys.argv[1], float(sys.argv[2]), [float(g) for g in sys.argv[3].split(",")], float(sys.argv[4]), float(sys.argv[5]),
         *sys.argv[6:7])
