"""Speed of one reflex walk as one parameter is swept, everything else fixed (stop 15 probe).

    python artifacts/teacher/tuning/probes/param_sweep.py FILE NAME V1,V2,... SPEED SLOPE [CONFIG]

One env per value, start seed 0, 12 s; mean speed = forward COM travel / time alive.
"""

from __future__ import annotations

import json
import sys

import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.evaluate import env_from_file
from exo_sim.learning.reflex import NAMES, ReflexBase, from_dict

CONFIG = "config/train/reflex_160_upright_slope_node.yaml"


def main(path: str, name: str, values: list[float], speed: float, slope: float, config: str = CONFIG) -> None:
    env = WalkVecEnv(env_from_file(config), len(values), nthread=1, autoreset=False)
    theta = np.tile(from_dict(json.loads(open(path).read())["params"]), (len(values), 1))
    theta[:, NAMES.index(name)] = values
    env.set_base_controller(ReflexBase(theta, env))
    env.reset(seed=0, options={"speed_mps": speed, "slope_deg": slope, "start_seed": 0})
    x0 = env.physics.sensordata[:, env.cols.com_pos][:, 0].copy()
    x, alive, t = x0.copy(), np.ones(len(values), dtype=bool), np.zeros(len(values))
    for _ in range(int(12 * env.cfg.policy_hz)):
        _, _, fell, _, _ = env.step(np.zeros((len(values), env.act_layout.size)))
        x = np.where(alive, env.physics.sensordata[:, env.cols.com_pos][:, 0], x)
        t += alive * env.cfg.policy_dt_s
        alive &= ~fell
    for value, ti, xi, x0i in zip(values, t, x, x0, strict=True):
        print(f"{name}={value:g}: alive {ti:.1f} s, speed {(xi - x0i) / ti:.3f} m/s")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], [float(v) for v in sys.argv[3].split(",")], float(sys.argv[4]), float(sys.argv[5]),
         *sys.argv[6:7])
