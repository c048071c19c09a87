"""Stance abductor drive x adductor inhibition of a 3D walker, by hand: time alive (mean of start seeds 1-2,
10 s, 1.0 m/s level) of BEST_JSON under a frontal support.

    python drive_sweep.py BEST_JSON KP,KD,KL,CL
"""
import json
import sys

import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.reflex import ExcitationProjector, ReflexController, from_dict
from exo_sim.learning.reflex_tune import load_reflex_tune_config, rollout_cost

cfg = load_reflex_tune_config("config/train/reflex_160_3d_node.yaml", {"duration_s": 10.0, "popsize": 16})
base = json.loads(open(sys.argv[1]).read())["params"]
grid = [dict(fr_abd_st=a, fr_add_inhib=i) for a in (0.0, 0.1, 0.2, 0.35) for i in (0.0, 0.5, 1.0)]
grid += [dict(fr_abd_st=0.5, fr_add_inhib=1.0), dict(fr_abd_st=0.2, fr_add_inhib=1.0, fr_bal_kp=4.0),
         dict(fr_abd_st=0.35, fr_add_inhib=1.0, fr_bal_kp=4.0), dict(fr_abd_st=0.1, fr_add_inhib=1.0, fr_bal_kp=4.0)]
env = WalkVecEnv(cfg.env, len(grid), autoreset=False)
env.set_frontal_support(*[float(v) for v in sys.argv[2].split(",")])
ctrl, proj = ReflexController(env), ExcitationProjector(env)
t, v = np.zeros(len(grid)), np.zeros(len(grid))
for seed in (1, 2):
    c, info = rollout_cost(env, ctrl, proj, np.stack([from_dict(dict(base, **g)) for g in grid]), cfg, 1.0, seed, 0.0)
    t += info["t_alive_s"] / 2
for g, tt in zip(grid, t):
    print(g, round(tt, 2))
