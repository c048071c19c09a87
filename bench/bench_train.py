"""Teacher training throughput on this machine: env alone, PPO rollout, and full PPO iterations.

Run: python bench/bench_train.py [--config config/train/stage1_sagittal.yaml] [--envs 32] [--iterations 3]
Numbers are policy-rate env steps per second summed over the batch, one physics thread and one
torch thread unless --nthread says otherwise.
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np
import torch

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.ppo_runner import TeacherRunner
from exo_sim.learning.train_config import load_train_config


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", default="config/train/stage1_sagittal.yaml")
    parser.add_argument("--envs", type=int, default=32)
    parser.add_argument("--nthread", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    torch.set_num_threads(1)
    cfg = load_train_config(args.config, {"num_envs": args.envs, "nthread": args.nthread})
    print(f"cores {os.cpu_count()}, load avg {os.getloadavg()[0]:.2f}, body {cfg.env.body.name}, "
          f"{cfg.num_envs} envs, {cfg.nthread} physics thread(s), {cfg.env.substeps} substeps of {cfg.env.timestep_s * 1e3:.3f} ms")

    env = WalkVecEnv(cfg.env, cfg.num_envs, nthread=cfg.nthread)
    env.reset(seed=0)
    rng = np.random.default_rng(0)
    space = env.single_action_space
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < args.seconds:
        env.step(rng.uniform(space.low, space.high, (cfg.num_envs, space.shape[0])))
        n += 1
    env_rate = n * cfg.num_envs / (time.perf_counter() - t0)
    env.close()
    print(f"env alone (random actions, autoreset):      {env_rate:8.0f} env steps/s")

    runner = TeacherRunner(cfg)
    hist = runner.learn(args.iterations)
    runner.close()
    collect = np.mean([h["collect_steps_per_s"] for h in hist[1:] or hist])
    total = np.mean([h["steps_per_s"] for h in hist[1:] or hist])
    print(f"PPO rollout (adapter + actor + critic):       {collect:8.0f} env steps/s")
    print(f"PPO iteration incl. update ({cfg.steps_per_env} steps/env): {total:8.0f} env steps/s")


if __name__ == "__main__":
    main()
