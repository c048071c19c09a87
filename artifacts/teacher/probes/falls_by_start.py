"""Stop 23 probe: falls of a tuned assisted person in reflex-tune's own rollouts (rollout_cost, one
env per start, 20 s, the yielding searches' config: thigh clock, speed held to 0.85 m/s) at the
five level commands, from each of the given start seeds. A rollout "falls" when it ends before
20 s (a fall, or the tuner's stall stop). With INIT_SPEED (m/s), every rollout starts at that
forward speed instead of the env's init_speed_fraction x the command.

    python artifacts/teacher/probes/falls_by_start.py PERSON.json 0,1,2,3,4,5,6,7 [INIT_SPEED]
"""

import dataclasses
import json
import sys
import time

import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning import assist_profile
from exo_sim.learning.reflex import ExcitationProjector, ReflexController, from_dict
from exo_sim.learning.reflex_tune import ReflexTuneConfig, load_reflex_tune_config, rollout_cost

CONFIG = "config/train/reflex_160_upright_assist.yaml"
SETTINGS = {"env.assist_clock": "thigh", "duration_s": 20.0, "cost_speed_mps": 0.85, "popsize": 4}
SPEEDS = [0.8, 1.0, 1.2, 1.4, 1.6]


def load_person(path: str) -> tuple[ReflexTuneConfig, np.ndarray, np.ndarray]:
    """The probes' tuning config, and a tuned person's reflex parameters and profile (one row each)."""
    data = json.loads(open(path).read())
    return load_reflex_tune_config(CONFIG, SETTINGS), from_dict(data["params"])[None], assist_profile.from_dict(data["assist"])[None]


def main(person: str, starts: list[int], init_speed: float | None) -> None:
    cfg, params, profile = load_person(person)
    t0 = time.time()
    for speed in SPEEDS:
        env_cfg = cfg.env if init_speed is None else dataclasses.replace(cfg.env, init_speed_fraction=init_speed / speed)
        env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
        ctrl, proj = ReflexController(env), ExcitationProjector(env)
        alive = [float(rollout_cost(env, ctrl, proj, params, cfg, speed, s, profile=profile)[1]["t_alive_s"][0]) for s in starts]
        print(speed, "falls", sum(a < 19.99 for a in alive), "of", len(alive), "alive", [round(a, 1) for a in alive], flush=True)
    print("wall", round(time.time() - t0), "s")


if __name__ == "__main__":
    main(sys.argv[1], [int(s) for s in sys.argv[2].split(",")], float(sys.argv[3]) if len(sys.argv) > 3 else None)
