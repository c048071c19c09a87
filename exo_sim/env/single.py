"""The gymnasium API for one env: a thin view of WalkVecEnv with N = 1 and no autoreset."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np

from exo_sim.env.config import EnvConfig
from exo_sim.env.walk import WalkVecEnv
from exo_sim.models.build import SimModel


class WalkEnv(gym.Env[np.ndarray, np.ndarray]):
    """One body wearing the exo, walking at a commanded speed and slope."""

    metadata = {"render_modes": []}

    def __init__(self, cfg: EnvConfig | None = None, *, sim: SimModel | None = None) -> None:
        self.vec = WalkVecEnv(cfg, 1, nthread=1, autoreset=False, sim=sim)
        self.action_space: gym.spaces.Box = self.vec.single_action_space
        self.observation_space: gym.spaces.Box = self.vec.single_observation_space

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[np.ndarray, dict[str, Any]]:
        """Start an episode; ``options`` may fix 'speed_mps' and 'slope_deg'."""
        super().reset(seed=seed)
        obs, info = self.vec.reset(seed=seed, options=options)
        return obs[0], {"device": info["device"][0]}

    def step(self, action: np.ndarray) -> tuple[np.ndarray, float, bool, bool, dict[str, Any]]:
        """One policy period."""
        obs, rew, term, trunc, info = self.vec.step(np.asarray(action)[None])
        return obs[0], float(rew[0]), bool(term[0]), bool(trunc[0]), {
            "terms": {k: float(v[0]) for k, v in info["terms"].items()}, "device": info["device"][0],
        }

    def close(self) -> None:
        """Release threads."""
        self.vec.close()
