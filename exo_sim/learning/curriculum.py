"""Speed/slope curriculum: start narrow, widen toward the target ranges when episodes succeed.

State is a small dict (saved in checkpoints). Success of an episode: it lasted ``success_s``
without a fall. When the success rate over the last ``window_episodes`` reaches
``success_rate``, both speed bounds and both slope bounds move out by one step (clipped to the
target ranges) and the window is cleared.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from exo_sim.env.config import ConditionConfig
from exo_sim.learning.train_config import CurriculumConfig

logger = logging.getLogger(__name__)


def _widen(current: tuple[float, float], target: tuple[float, float], step: float) -> tuple[float, float]:
    return (max(target[0], current[0] - step), min(target[1], current[1] + step))


@dataclass
class Curriculum:
    """Current condition ranges and the success window."""

    cfg: CurriculumConfig
    target: ConditionConfig
    speed_range: tuple[float, float] = (0.0, 0.0)
    slope_range: tuple[float, float] = (0.0, 0.0)
    level: int = 0
    window: deque[float] = field(default_factory=deque)

    def __post_init__(self) -> None:
        if self.cfg.enabled:
            self.speed_range = _clip_into(self.cfg.start_speed_range_mps, self.target.speed_range_mps)
            self.slope_range = _clip_into(self.cfg.start_slope_range_deg, self.target.slope_range_deg)
        else:
            self.speed_range = self.target.speed_range_mps
            self.slope_range = self.target.slope_range_deg
        self.window = deque(maxlen=self.cfg.window_episodes)

    @property
    def complete(self) -> bool:
        """True when the ranges have reached the target ranges."""
        return self.speed_range == tuple(self.target.speed_range_mps) and self.slope_range == tuple(self.target.slope_range_deg)

    def conditions(self) -> ConditionConfig:
        """The ConditionConfig to draw episodes from now."""
        return ConditionConfig(speed_range_mps=self.speed_range, slope_range_deg=self.slope_range)

    def record(self, episode_lengths_s: np.ndarray, fell: np.ndarray) -> bool:
        """Add finished episodes; return True if the ranges widened."""
        ok = (np.asarray(episode_lengths_s) >= self.cfg.success_s - 1e-9) & ~np.asarray(fell, dtype=bool)
        self.window.extend(ok.astype(float).tolist())
        if not self.cfg.enabled or self.complete or len(self.window) < self.cfg.window_episodes:
            return False
        if float(np.mean(self.window)) < self.cfg.success_rate:
            return False
        self.speed_range = _widen(self.speed_range, self.target.speed_range_mps, self.cfg.speed_step_mps)
        self.slope_range = _widen(self.slope_range, self.target.slope_range_deg, self.cfg.slope_step_deg)
        self.level += 1
        self.window.clear()
        logger.info("curriculum level %d: speed %s m/s, slope %s deg", self.level, self.speed_range, self.slope_range)
        return True

    @property
    def success_rate(self) -> float:
        """Success rate over the current window (NaN if empty)."""
        return float(np.mean(self.window)) if self.window else float("nan")

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue exactly."""
        return {"speed_range": list(self.speed_range), "slope_range": list(self.slope_range), "level": self.level,
                "window": list(self.window)}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore :meth:`state_dict`."""
        self.speed_range = (float(state["speed_range"][0]), float(state["speed_range"][1]))
        self.slope_range = (float(state["slope_range"][0]), float(state["slope_range"][1]))
        self.level = int(state["level"])
        self.window = deque(state["window"], maxlen=self.cfg.window_episodes)


def _clip_into(rng: tuple[float, float], target: tuple[float, float]) -> tuple[float, float]:
    lo = min(max(rng[0], target[0]), target[1])
    hi = max(min(rng[1], target[1]), lo)
    return (lo, hi)
