"""A phase-based hip assistance profile, co-tuned with the reflex layer (the person adapting to the exo).

Each hip gets an extension pulse after its own heel strike and a flexion pulse around toe-off, each
a Gaussian in gait phase (Nm; + = flexion, as the exo motors):
    tau(phi) = -ext_nm g(phi; ext_phase, width) + flex_nm g(phi; flex_phase, width)
with phi the leg's phase, from the clock ``env.cfg.assist_clock`` names: the heel-strike clock
(``env.phase`` is the right leg's; the left leg is half a stride later) or each thigh's own phase
portrait (``env.thigh.phase``; phase 0 at peak thigh flexion, close to heel strike).
This is how many hip exos are commanded on the bench, and it is the shape the learned teacher's
torque has (extension just after heel strike, flexion at 70-78 % of the stride). A fixed reflex
person does not use assistance: its feedback laws barely change activation when torque is added
(measured in artifacts/teacher/README.md), so the assisted person's reflexes are tuned with the
profile on, and its hip drive may yield to the torque (the ``hip_yield_*`` reflex parameters).
"""

from __future__ import annotations

import numpy as np

from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.param_space import ParamSpace

#: name -> (initial value, CMA scale, lower bound, upper bound)
PARAMS: dict[str, tuple[float, float, float, float]] = {
    "ext_nm": (4.0, 2.0, 0.0, 12.0),  # extension pulse peak, Nm
    "ext_phase": (0.15, 0.05, 0.0, 0.5),  # its centre, fraction of the leg's stride
    "flex_nm": (4.0, 2.0, 0.0, 12.0),  # flexion pulse peak, Nm
    "flex_phase": (0.62, 0.05, 0.4, 0.9),
    "width": (0.08, 0.02, 0.03, 0.2),  # pulse sd, fraction of the stride
}
SPACE = ParamSpace(PARAMS, "assistance profile parameter")
NAMES, INITIAL, SCALE = SPACE.names, SPACE.initial, SPACE.scale
from_unit, to_dict, from_dict = SPACE.from_unit, SPACE.to_dict, SPACE.from_dict


def hip_torque_nm(leg_phase: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """Torque (N,) of legs at phases (N,), parameters (N, K) or (K,)."""
    p = np.broadcast_to(np.asarray(theta, dtype=float), (len(leg_phase), len(NAMES)))
    ext_nm, ext_phase, flex_nm, flex_phase, width = p.T

    def pulse(centre: np.ndarray) -> np.ndarray:
        d = (leg_phase - centre + 0.5) % 1.0 - 0.5  # wrapped phase distance
        return np.asarray(np.exp(-0.5 * (d / width) ** 2))

    return -ext_nm * pulse(ext_phase) + flex_nm * pulse(flex_phase)


def exo_action(env: WalkVecEnv, theta: np.ndarray) -> np.ndarray:
    """The env action (N, A), in the current observation's frame, that commands the profile."""
    if env.cfg.assist_clock == "thigh":
        left, right = hip_torque_nm(env.thigh.phase[:, 0], theta), hip_torque_nm(env.thigh.phase[:, 1], theta)
    else:
        right = hip_torque_nm(env.phase, theta)
        left = hip_torque_nm((env.phase + 0.5) % 1.0, theta)
    a = np.zeros((env.num_envs, env.act_layout.size))
    a[:, env.exo_action_slice] = np.stack([left, right], axis=1) / env.cfg.exo.torque_limit_nm
    return env.to_physical(a)  # left/right -> the current frame (the map is its own inverse)
