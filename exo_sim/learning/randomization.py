"""Per-episode domain randomisation of each env's own MjModel (masses, friction, strengths).

WalkVecEnv gives every env its own MjModel copy (``physics.models[i]``); values are drawn from
the nominal model each time, so they never drift. Latency and observation noise are applied by
the training adapter (they act on actions and observations, not on the model).
"""

from __future__ import annotations

import mujoco
import numpy as np

from exo_sim.learning.train_config import RandomizationConfig
from exo_sim.models.build import SimModel


def _u(rng: np.random.Generator, interval: tuple[float, float]) -> float:
    return float(rng.uniform(interval[0], interval[1]))


def _update_subtree_mass(model: mujoco.MjModel) -> None:
    """Recompute body_subtreemass after a mass change (MuJoCo's COM uses it; children have larger ids)."""
    sub = model.body_mass.copy()
    for b in range(model.nbody - 1, 0, -1):
        sub[model.body_parentid[b]] += sub[b]
    model.body_subtreemass[:] = sub


class DomainRandomizer:
    """Draws and applies model parameters for one env at a time."""

    def __init__(self, cfg: RandomizationConfig, sim: SimModel) -> None:
        self.cfg = cfg
        m = sim.model
        self._nominal = sim.model
        names = [m.body(b).name for b in range(m.nbody)]
        self._exo_bodies = np.asarray([b for b, n in enumerate(names) if n.startswith("exo_")], dtype=int)
        self._body_bodies = np.asarray([b for b, n in enumerate(names) if b > 0 and not n.startswith("exo_")], dtype=int)
        self._ground = mujoco.mj_name2id(m, mujoco.mjtObj.mjOBJ_GEOM, "ground")
        self._muscles = sim.index.muscle_ctrl
        self._motors = sim.index.motor_ctrl

    def apply(self, model: mujoco.MjModel, rng: np.random.Generator) -> dict[str, float]:
        """Randomise ``model`` in place from the nominal values; returns the drawn factors."""
        c, nom = self.cfg, self._nominal
        if not c.enabled:
            return {}
        draw = {
            "body_mass_scale": _u(rng, c.body_mass_scale),
            "exo_mass_scale": _u(rng, c.exo_mass_scale),
            "friction": _u(rng, c.friction),
            "muscle_strength_scale": _u(rng, c.muscle_strength_scale),
            "motor_strength_scale": _u(rng, c.motor_strength_scale),
        }
        for ids, scale in ((self._body_bodies, draw["body_mass_scale"]), (self._exo_bodies, draw["exo_mass_scale"])):
            model.body_mass[ids] = nom.body_mass[ids] * scale
            model.body_inertia[ids] = nom.body_inertia[ids] * scale
        _update_subtree_mass(model)
        model.geom_friction[self._ground, 0] = draw["friction"]
        # Muscle peak force: gainprm[2] and biasprm[2] of MuJoCo's muscle model.
        model.actuator_gainprm[self._muscles, 2] = nom.actuator_gainprm[self._muscles, 2] * draw["muscle_strength_scale"]
        model.actuator_biasprm[self._muscles, 2] = nom.actuator_biasprm[self._muscles, 2] * draw["muscle_strength_scale"]
        model.actuator_gear[self._motors, 0] = nom.actuator_gear[self._motors, 0] * draw["motor_strength_scale"]
        return draw

    def latency(self, rng: np.random.Generator) -> int:
        """Exo command delay for one episode, policy periods."""
        lo, hi = self.cfg.motor_latency_steps
        return int(rng.integers(lo, hi + 1)) if self.cfg.enabled else 0
