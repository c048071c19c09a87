"""Frontal balance gains of a 3D walker, swept by hand: time alive (mean of start seeds 1-2, 10 s, 1.0 m/s level)
of BEST_JSON with fr_bal_kp, fr_bal_kd and sw_abd_kp set on a grid, under a frontal support.

    python artifacts/teacher/tuning/body3d/gain_sweep.py BEST_JSON KP,KD,KL,CL
"""
import json
import sys

import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.reflex import ExcitationProjector, ReflexController, from_dict
from exo_sim.learning.reflex_tune import load_reflex_tune_config, rollout_cost

cfg = load_reflex_tune_config("config/train/reflex_160_3d_node.yaml", {"duration_s": 10.0, "popsize": 16})
base = json.loads(open(sys.argv[1]).read())["params"]
grid = [dict(fr_bal_kp=kp, fr_bal_kd=kd, sw_abd_kp=sk) for kp in (1.7, 3.5, 6.0, 9.0) for kd in (0.2, 0.8) for sk in (3.2, 6.0)]
env = WalkVecEnv(cfg.env, 16, autoreset=False)
env.set_frontal_support(*[float(v) for v in sys.argv[2].split(",")])
ctrl, proj = ReflexController(env), ExcitationProjector(env)
t = np.zeros(16)
for seed in (1, 2):
    c, info = rollout_cost(env, ctrl, proj, np.stack([from_dict(dict(base, **g)) for g in grid]), cfg, 1.0, seed, 0.0)
    t += info["t_alive_s"] / 2
for g, tt in zip(grid, t):
    print(g, round(tt, 2))
