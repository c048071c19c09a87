"""Env throughput against raw mj_step on the same model, and batched scaling over cores.

Run: python bench/bench_env.py [--seconds 3] [--bodies myolegs26 myolegs ...] [--envs 16]
Prints one table per measurement; all numbers are policy-rate env steps or physics steps per
second measured in this process.
"""

from __future__ import annotations

import argparse
import os
import time

import mujoco
import numpy as np

from exo_sim.env import EnvConfig, WalkVecEnv
from exo_sim.models import BodyConfig, build_model


def raw_steps_per_s(model: mujoco.MjModel, substeps: int, seconds: float) -> float:
    """mj_step alone, ctrl changed every ``substeps`` steps like the env does, reset on a fall."""
    model = __import__("copy").copy(model)
    data = mujoco.MjData(model)
    rng = np.random.default_rng(0)
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        data.ctrl[:] = rng.uniform(0.0, 1.0, model.nu) * (model.actuator_ctrlrange[:, 1] > 0.5)
        mujoco.mj_step(model, data, nstep=substeps)
        n += substeps
        if data.qpos[2 if model.jnt_type[0] == mujoco.mjtJoint.mjJNT_FREE else 1] < 0.5:
            mujoco.mj_resetData(model, data)
    return n / (time.perf_counter() - t0)


def env_steps_per_s(env: WalkVecEnv, seconds: float) -> float:
    """Env steps (policy rate, summed over the batch) per second with random actions."""
    env.reset(seed=0)
    space = env.single_action_space
    rng = np.random.default_rng(0)
    actions = [rng.uniform(space.low, space.high, (env.num_envs, space.low.size)) for _ in range(64)]
    n, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        env.step(actions[n % 64])
        n += 1
    return n * env.num_envs / (time.perf_counter() - t0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--bodies", nargs="+", default=["myolegs26", "myolegs", "myolegs26_sagittal", "myolegs_sagittal"])
    parser.add_argument("--envs", type=int, default=16, help="batch size for the batched runs")
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, mujoco {mujoco.__version__}, {args.seconds:.1f} s per cell\n")
    print("Per core (1 thread): env overhead on top of physics")
    print(f"{'body':20s} {'dt ms':>6s} {'raw mj_step/s':>14s} {'env N=1 steps/s':>16s} {'phys/s':>8s} {'ovh':>6s}"
          f" {'env N=16 steps/s':>17s} {'phys/s':>8s} {'ovh':>6s}")
    for name in args.bodies:
        cfg = EnvConfig(body=BodyConfig(name=name))
        sim = build_model(cfg.body, cfg.exo, timestep_s=cfg.timestep_s)
        raw = raw_steps_per_s(sim.model, cfg.substeps, args.seconds)
        row = f"{name:20s} {cfg.timestep_s * 1e3:6.3f} {raw:14.0f}"
        for n in (1, args.envs):
            env = WalkVecEnv(cfg, n, nthread=1, sim=sim)
            eps = env_steps_per_s(env, args.seconds)
            env.close()
            phys = eps * cfg.substeps
            row += f" {eps:16.0f} {phys:8.0f} {raw / phys - 1.0:6.1%}" if n == 1 else f" {eps:17.0f} {phys:8.0f} {raw / phys - 1.0:6.1%}"
        print(row)
    print(f"\nBatched, N={args.envs} envs: 1 vs 2 threads")
    print(f"{'body':20s} {'backend':8s} {'1 thread':>10s} {'2 threads':>10s} {'ratio':>6s}")
    for name in args.bodies[:2]:
        cfg = EnvConfig(body=BodyConfig(name=name))
        sim = build_model(cfg.body, cfg.exo, timestep_s=cfg.timestep_s)
        for backend in ("threads", "rollout"):
            rates = []
            for nthread in (1, 2):
                env = WalkVecEnv(cfg, args.envs, backend=backend, nthread=nthread, sim=sim)
                rates.append(env_steps_per_s(env, args.seconds))
                env.close()
            print(f"{name:20s} {backend:8s} {rates[0]:10.0f} {rates[1]:10.0f} {rates[1] / rates[0]:6.2f}")


if __name__ == "__main__":
    main()
