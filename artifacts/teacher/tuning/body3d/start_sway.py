"""Sideways start speed (StartPoseConfig.lateral_speed_mps, toward the leading leg) under 3D walkers tuned from a
start at rest sideways: time alive per start, 10 s, 1.0 m/s level, unaided and under a frontal support.

    python artifacts/teacher/tuning/body3d/start_sway.py BEST_JSON [BEST_JSON ...]
"""
import dataclasses
import json
import sys

import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.reflex import ExcitationProjector, ReflexController, from_dict
from exo_sim.learning.reflex_tune import load_reflex_tune_config, rollout_cost

STARTS = (8, 9, 10, 11, 12, 13)
cfg = load_reflex_tune_config("config/train/reflex_160_3d_node.yaml", {"duration_s": 10.0})
thetas = np.stack([from_dict(json.load(open(p))["params"]) for p in sys.argv[1:]])
print("rows: walker (argument order); columns: starts", STARTS)
for lateral in (0.0, 0.1, 0.2, 0.3):
    env_cfg = dataclasses.replace(cfg.env, start=dataclasses.replace(cfg.env.start, lateral_speed_mps=lateral))
    env = WalkVecEnv(env_cfg, len(thetas), autoreset=False)
    ctrl, proj = ReflexController(env), ExcitationProjector(env)
    for support in (0.0, 160.0):
        env.set_frontal_support(support, support / 10, support * 10, support)
        t = np.stack([rollout_cost(env, ctrl, proj, thetas, cfg, 1.0, s, 0.0)[1]["t_alive_s"] for s in STARTS], axis=1)
        for k, row in enumerate(t):
            print(f"lateral {lateral:.1f} m/s, support {support:3.0f} Nm/rad, walker {k}: " + " ".join(f"{v:5.2f}" for v in row), flush=True)
    env.close()
