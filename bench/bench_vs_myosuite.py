"""Env throughput of our WalkEnv against MyoSuite's myoLegWalk-v0, same machine, same run.

MyoSuite is not a project dependency: it runs in its own throwaway virtual environment, in a
subprocess started with the interpreter given as --myosuite-python, e.g.

    python3 -m venv /tmp/myosuite_venv && /tmp/myosuite_venv/bin/pip install myosuite
    nice -n 5 python bench/bench_vs_myosuite.py --myosuite-python /tmp/myosuite_venv/bin/python

Protocol, identical on both sides: one env, one thread, the gymnasium API (``reset``/``step``),
uniform random actions from the action space (64 drawn in advance), ``reset`` when an episode
terminates or truncates (reset time counts), the env built before the clock starts. Rounds are
interleaved (ours, theirs, ours, theirs, ...) and each cell is the median over rounds.

An env step is one policy period: ours is ``substeps`` physics steps, MyoSuite's is ``frame_skip``
physics steps, and the two use different physics timesteps, so the table also reports simulated
seconds per wall second, which is the number to compare for "how fast does it simulate walking".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

import mujoco
import numpy as np

from exo_sim.env import EnvConfig, WalkEnv
from exo_sim.models import BodyConfig, build_model

MYOSUITE_ENV_ID = "myoLegWalk-v0"

# Runs under --myosuite-python; argv: env id, seconds, seed, raw (0/1). Prints one JSON line.
_MYOSUITE_WORKER = r"""
import json, sys, time
import numpy as np
import mujoco
import myosuite
from myosuite.utils import gym

env_id, seconds, seed, raw = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1"
env = gym.make(env_id)
u = env.unwrapped
model = u.model if getattr(u, "model", None) is not None else u.sim.model
frame_skip = int(u.frame_skip)
space = env.action_space
rng = np.random.default_rng(seed)
actions = [rng.uniform(space.low, space.high).astype(space.dtype) for _ in range(64)]
env.reset(seed=seed)
n, resets, t0 = 0, 0, time.perf_counter()
while time.perf_counter() - t0 < seconds:
    _, _, term, trunc, _ = env.step(actions[n % 64])
    n += 1
    if term or trunc:
        env.reset()
        resets += 1
wall = time.perf_counter() - t0
raw_rate = None
if raw:
    data = mujoco.MjData(model)
    k, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        data.ctrl[:] = actions[(k // frame_skip) % 64][: model.nu]
        mujoco.mj_step(model, data, nstep=frame_skip)
        k += frame_skip
        if not np.isfinite(data.qacc).all() or data.qpos[2] < 0.5:
            mujoco.mj_resetData(model, data)
    raw_rate = k / (time.perf_counter() - t0)
print(json.dumps({
    "steps": n, "wall_s": wall, "resets": resets, "frame_skip": frame_skip,
    "timestep_s": float(model.opt.timestep), "nu": int(model.nu), "na": int(model.na), "nv": int(model.nv),
    "mujoco": mujoco.__version__, "myosuite": getattr(myosuite, "__version__", "?"), "raw_phys_per_s": raw_rate,
}))
"""


@dataclass
class Row:
    """One env's measurements over the rounds."""

    name: str
    substeps: int = 0
    timestep_s: float = 0.0
    muscles: int = 0
    rates: list[float] = field(default_factory=list)
    raw: list[float] = field(default_factory=list)
    steps: int = 0
    resets: int = 0
    error: str | None = None

    @property
    def eps(self) -> float:
        """Median env steps per second."""
        return statistics.median(self.rates)

    @property
    def sim_per_wall(self) -> float:
        """Median simulated seconds per wall second."""
        return self.eps * self.substeps * self.timestep_s


def run_ours(env: WalkEnv, seconds: float, seed: int, raw: bool) -> tuple[float, int, int, float | None]:
    """Env steps/s, steps, resets, and optionally raw mj_step/s of the same model (ctrl held ``substeps``)."""
    space = env.action_space
    rng = np.random.default_rng(seed)
    actions = [rng.uniform(space.low, space.high).astype(space.dtype) for _ in range(64)]
    env.reset(seed=seed)
    n, resets, t0 = 0, 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        _, _, term, trunc, _ = env.step(actions[n % 64])
        n += 1
        if term or trunc:
            env.reset()
            resets += 1
    rate = n / (time.perf_counter() - t0)
    raw_rate = None
    if raw:
        vec = env.vec
        model, substeps = vec.sim.model, vec.cfg.substeps
        data = mujoco.MjData(model)
        free = model.jnt_type[0] == mujoco.mjtJoint.mjJNT_FREE
        k, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds:
            data.ctrl[:] = rng.uniform(0.0, 1.0, model.nu) * (model.actuator_ctrlrange[:, 1] > 0.5)
            mujoco.mj_step(model, data, nstep=substeps)
            k += substeps
            if data.qpos[2 if free else 1] < 0.5:
                mujoco.mj_resetData(model, data)
        raw_rate = k / (time.perf_counter() - t0)
    return rate, n, resets, raw_rate


def run_theirs(python: str, env_id: str, seconds: float, seed: int, raw: bool) -> dict:
    """One MyoSuite round in a subprocess; raises RuntimeError with the worker's error text."""
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONNOUSERSITE="1")
    env.pop("PYTHONPATH", None)
    env.pop("VIRTUAL_ENV", None)
    timeout = 3 * seconds * (2 if raw else 1) + 180
    try:
        proc = subprocess.run(
            [python, "-c", _MYOSUITE_WORKER, env_id, str(seconds), str(seed), "1" if raw else "0"],
            capture_output=True, text=True, timeout=timeout, env=env, cwd="/tmp" if os.path.isdir("/tmp") else None,
        )
    except subprocess.TimeoutExpired as exc:
        raise RuntimeError(f"MyoSuite worker timed out after {timeout:.0f} s (asset download or hang?)") from exc
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        tail = (proc.stderr.strip() or proc.stdout.strip())[-2000:]
        raise RuntimeError(f"MyoSuite worker exited {proc.returncode}:\n{tail}")
    return json.loads(lines[-1])


def check_python(path: str | None) -> str | None:
    """The reason --myosuite-python cannot be used, or None."""
    hint = ("create it with: python3 -m venv /tmp/myosuite_venv && /tmp/myosuite_venv/bin/pip install myosuite, "
            "then pass --myosuite-python /tmp/myosuite_venv/bin/python")
    if not path:
        return f"--myosuite-python not given; {hint}"
    resolved = shutil.which(path)
    if resolved is None:
        return f"--myosuite-python {path!r} is not an executable; {hint}"
    probe = subprocess.run([resolved, "-c", "import myosuite"], capture_output=True, text=True, timeout=120)
    if probe.returncode != 0:
        return f"{path} cannot import myosuite:\n{probe.stderr.strip()[-1500:]}\n{hint}"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--myosuite-python", default=None, help="python of the throwaway venv with myosuite installed")
    parser.add_argument("--seconds", type=float, default=5.0, help="timed seconds per cell per round")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds; cells are medians")
    parser.add_argument("--bodies", nargs="+", default=["myolegs26", "myolegs"])
    parser.add_argument("--env-id", default=MYOSUITE_ENV_ID)
    parser.add_argument("--raw", action="store_true", help="also time bare mj_step on each model (doubles run time)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    problem = check_python(args.myosuite_python)
    if problem:
        print(f"MyoSuite side unavailable: {problem}\nMeasuring our env only.\n", file=sys.stderr)

    ours: dict[str, tuple[Row, WalkEnv]] = {}
    for name in args.bodies:
        cfg = EnvConfig(body=BodyConfig(name=name))
        sim = build_model(cfg.body, cfg.exo, timestep_s=cfg.timestep_s)
        row = Row(f"ours {name}", cfg.substeps, cfg.timestep_s, int(sim.model.na))
        ours[name] = (row, WalkEnv(cfg, sim=sim))
    theirs = Row(f"MyoSuite {args.env_id}", error=problem)
    versions = ""

    print(f"{platform.node()}: {os.cpu_count()} cores, load avg {os.getloadavg()[0]:.2f}, "
          f"{args.rounds} rounds x {args.seconds:.1f} s per cell, 1 thread, niceness {os.nice(0)}")
    for r in range(args.rounds):
        for row, env in ours.values():
            rate, n, resets, raw = run_ours(env, args.seconds, args.seed + r, args.raw)
            row.rates.append(rate)
            row.steps += n
            row.resets += resets
            if raw is not None:
                row.raw.append(raw)
        if theirs.error is None:
            try:
                res = run_theirs(args.myosuite_python, args.env_id, args.seconds, args.seed + r, args.raw)
            except RuntimeError as exc:
                theirs.error = str(exc)
                print(f"MyoSuite round {r} failed: {exc}", file=sys.stderr)
            else:
                theirs.substeps, theirs.timestep_s, theirs.muscles = res["frame_skip"], res["timestep_s"], res["na"]
                theirs.rates.append(res["steps"] / res["wall_s"])
                theirs.steps += res["steps"]
                theirs.resets += res["resets"]
                if res["raw_phys_per_s"] is not None:
                    theirs.raw.append(res["raw_phys_per_s"])
                versions = f"MyoSuite {res['myosuite']} on mujoco {res['mujoco']}"
        print(f"  round {r + 1}/{args.rounds}: " + ", ".join(
            f"{row.name} {row.rates[-1]:.0f}" for row in [*(o[0] for o in ours.values()), theirs] if row.rates
        ) + " env steps/s", flush=True)
    for _, env in ours.values():
        env.close()

    print(f"\nours on mujoco {mujoco.__version__}" + (f"; {versions}" if versions else ""))
    raw_hdr = f" {'raw phys/s':>10s} {'env ovh':>7s}" if args.raw else ""
    print(f"{'env':26s} {'muscles':>7s} {'dt ms':>6s} {'phys/step':>9s} {'step ms':>7s} {'env steps/s':>11s}"
          f" {'spread':>7s} {'phys/s':>7s} {'sim s/wall s':>12s} {'steps/reset':>11s}{raw_hdr}")
    rows = [o[0] for o in ours.values()] + ([theirs] if theirs.rates else [])
    for row in rows:
        spread = (max(row.rates) - min(row.rates)) / row.eps
        line = (f"{row.name:26s} {row.muscles:7d} {row.timestep_s * 1e3:6.4g} {row.substeps:9d}"
                f" {row.substeps * row.timestep_s * 1e3:7.4g} {row.eps:11.0f} {spread:7.1%} {row.eps * row.substeps:7.0f}"
                f" {row.sim_per_wall:12.2f} {row.steps / max(row.resets, 1):11.1f}")
        if args.raw:
            raw = statistics.median(row.raw)
            line += f" {raw:10.0f} {raw / (row.eps * row.substeps) - 1.0:7.1%}"
        print(line)
    if theirs.rates:
        print(f"\nratio ours / {theirs.name} (medians)")
        print(f"{'env':26s} {'env steps/s':>11s} {'sim s/wall s':>12s}")
        for row, _ in ours.values():
            print(f"{row.name:26s} {row.eps / theirs.eps:11.2f} {row.sim_per_wall / theirs.sim_per_wall:12.2f}")
    if theirs.error:
        print(f"\nMyoSuite not measured: {theirs.error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
