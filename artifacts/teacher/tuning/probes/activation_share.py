"""Mean activation per muscle over one reflex walk, and the hip-crossing muscles' share (stop 15 probe).

    python artifacts/teacher/tuning/probes/activation_share.py FILE CONFIG SPEED

Level ground, start seed 0, 12 s; the first 2 s dropped.
"""

from __future__ import annotations

import sys

import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.compare import walk
from exo_sim.learning.evaluate import load_policy

HIP_MUSCLES = ("glutmax", "iliopsoas", "hamstrings", "rectfem")


def main(path: str, config: str, speed: float) -> None:
    factory, env_cfg, _ = load_policy(reflex=path, config=config)
    env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
    w = walk(factory(env), env, speed, 0.0, 0, 12.0)
    mean = w.signals["activation"][int(2.0 / w.dt_s):].mean(axis=0)
    names = list(env.index.muscles)
    print(f"{path} at {speed} m/s: mean activation {mean.mean():.4f}")
    for i in np.argsort(-mean)[:8]:
        print(f"  {names[i]:14s} {mean[i]:.3f} ({100 * mean[i] / mean.sum():.0f} % of the total)")
    hip = [i for i, n in enumerate(names) if n.rsplit("_", 1)[0] in HIP_MUSCLES]
    print(f"  hip-crossing muscles: {100 * mean[hip].sum() / mean.sum():.0f} % of the total")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
