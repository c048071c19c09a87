"""How often the env's gait-phase clock sits at its end (a stride longer than the last one): the
phase-based assistance profile is frozen there (stop 15 probe).

    python artifacts/teacher/tuning/probes/phase_clock.py FILE CONFIG

Level ground, start seed 0, 20 s at 0.8, 1.2 and 1.6 m/s; the first 2 s dropped.
"""

from __future__ import annotations

import sys

import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.evaluate import load_policy


def main(path: str, config: str) -> None:
    factory, env_cfg, _ = load_policy(reflex=path, config=config)
    env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
    for speed in (0.8, 1.2, 1.6):
        policy = factory(env)
        obs, _ = env.reset(seed=0, options={"speed_mps": speed, "slope_deg": 0.0, "start_seed": 0})
        phase = []
        for _ in range(int(20 * env.cfg.policy_hz)):
            obs, _, fell, _, _ = env.step(policy(obs))
            phase.append(env.phase[0])
            if fell[0]:
                break
        held = np.asarray(phase[int(2 * env.cfg.policy_hz):]) >= 0.99
        print(f"{path} at {speed} m/s: walked {len(phase) / env.cfg.policy_hz:.1f} s; "
              f"phase clock at its end {100 * held.mean():.0f} % of the time")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
