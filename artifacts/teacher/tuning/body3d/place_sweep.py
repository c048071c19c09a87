"""Foot placement by the pelvis's offset from the stance heel (sw_abd_pos) added by hand to the push-off
walkers: time alive (mean of start seeds 1-2, 10 s, 1.0 m/s level) per gain and frontal support.

    python artifacts/teacher/tuning/body3d/place_sweep.py READY_JSON [READY_JSON ...]
"""
import json
import sys

import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.reflex import ExcitationProjector, ReflexController, from_dict
from exo_sim.learning.reflex_tune import load_reflex_tune_config, rollout_cost

GAIN = (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0)
cfg = load_reflex_tune_config("config/train/reflex_160_3d_stance.yaml", {"duration_s": 10.0})
bases = [json.load(open(p))["params"] for p in sys.argv[1:]]
thetas = np.stack([from_dict(dict(b, sw_abd_pos=g)) for b in bases for g in GAIN])
env = WalkVecEnv(cfg.env, len(thetas), autoreset=False)
ctrl, proj = ReflexController(env), ExcitationProjector(env)
for support in (140.0, 120.0, 0.0):
    env.set_frontal_support(support, support / 10, support * 10, support)
    t = np.zeros(len(thetas))
    for seed in (1, 2):
        t += rollout_cost(env, ctrl, proj, thetas, cfg, 1.0, seed, 0.0)[1]["t_alive_s"] / 2
    for k, path in enumerate(sys.argv[1:]):
        row = t[k * len(GAIN):(k + 1) * len(GAIN)]
        print(f"support {support:3.0f} Nm/rad, {path}: " + ", ".join(f"{g:+.1f}: {v:.2f} s" for g, v in zip(GAIN, row)), flush=True)
env.close()
