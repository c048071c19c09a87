"""Stop 23 probe: does the student's empty history at a start explain its extra falls? The policy
node requests zero torque until its gyro history is full (96 samples at 160 Hz = 0.6 s) after the
trial starts, and after a fall-and-reset in the sim bridge its history still holds the fallen
walk. Here the teacher's own profile is applied in reflex-tune's rollouts (as falls_by_start.py)
from t = 0, and again with zero exo torque for the first DELAY_S of each rollout, at the five
level speeds or the SPEEDS given.

    python artifacts/teacher/probes/late_assist.py PERSON.json 0,1,2,3,4,5,6,7 0.6 [1.2,1.4]
"""

import sys
import time

import numpy as np
from falls_by_start import SPEEDS, load_person  # this folder: python puts the script's own on the path

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning import assist_profile, reflex
from exo_sim.learning.reflex import ExcitationProjector, ReflexController
from exo_sim.learning.reflex_tune import rollout_cost

person, starts, delay_s = sys.argv[1], [int(s) for s in sys.argv[2].split(",")], float(sys.argv[3])
speeds = [float(v) for v in sys.argv[4].split(",")] if len(sys.argv) > 4 else SPEEDS
cfg, params, profile = load_person(person)
env = WalkVecEnv(cfg.env, 1, nthread=1, autoreset=False)
ctrl, proj = ReflexController(env), ExcitationProjector(env)
profile_action = assist_profile.exo_action


def late_action(env: WalkVecEnv, theta: np.ndarray) -> np.ndarray:
    """The profile's action, zero while the rollout is younger than delay_s."""
    return profile_action(env, theta) * (env.time_s >= delay_s)[:, None]


t0 = time.time()
for speed in speeds:
    row = []
    for late in (False, True):
        reflex.assist_profile.exo_action = late_action if late else profile_action  # type: ignore[attr-defined]
        alive = [float(rollout_cost(env, ctrl, proj, params, cfg, speed, s, profile=profile)[1]["t_alive_s"][0]) for s in starts]
        row.append(f"{'from ' + str(delay_s) + ' s' if late else 'from 0 s'}: falls {sum(a < 19.99 for a in alive)} of {len(alive)} "
                   f"{[round(a, 1) for a in alive]}")
    print(speed, " | ".join(row), flush=True)
print("wall", round(time.time() - t0), "s")
