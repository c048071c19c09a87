"""Hip rotation stiffness of the 3D body (standing for the rotators and capsule myolegs26 lacks) under walkers
tuned at 200 Nm/rad: time alive (start seeds 1-2, 10 s, 1.0 m/s level) per stiffness and frontal support.

    python artifacts/teacher/tuning/body3d/rot_sweep.py BEST_JSON [BEST_JSON ...]
"""
import dataclasses
import json
import sys

import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.reflex import ExcitationProjector, ReflexController, from_dict
from exo_sim.learning.reflex_tune import load_reflex_tune_config, rollout_cost

cfg = load_reflex_tune_config("config/train/reflex_160_3d_node.yaml", {"duration_s": 10.0})
thetas = np.stack([from_dict(json.load(open(p))["params"]) for p in sys.argv[1:]])
for k in (200.0, 500.0, 1000.0):  # BodyConfig allows up to 1000
    env_cfg = dataclasses.replace(cfg.env, body=dataclasses.replace(cfg.env.body, hip_rotation_stiffness_nm_per_rad=k))
    env = WalkVecEnv(env_cfg, len(thetas), autoreset=False)
    ctrl, proj = ReflexController(env), ExcitationProjector(env)
    for support in (160.0, 80.0, 0.0):
        env.set_frontal_support(support, support / 10, support * 10, support)
        t = np.zeros(len(thetas))
        for seed in (1, 2):
            _c, info = rollout_cost(env, ctrl, proj, thetas, cfg, 1.0, seed, 0.0)
            t += info["t_alive_s"] / 2
        print(f"rotation {k:6.0f} Nm/rad, support {support:5.0f} Nm/rad: time alive " + ", ".join(f"{v:.2f}" for v in t), flush=True)
    env.close()
