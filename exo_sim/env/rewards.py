"""Reward terms as small named functions of a step context, weighted by RewardConfig.

reward = sum_i weight_i * term_i; every term is returned for logging (mjlab / MyoSuite style).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from exo_sim.env.config import RewardConfig


@dataclass
class StepContext:
    """What the reward and termination see for N envs after one policy step (SI units)."""

    com_vel_mps: np.ndarray  # (N, 3) ground frame
    target_speed_mps: np.ndarray  # (N,)
    head_angvel_rps: np.ndarray  # (N, 3) ground frame
    activation: np.ndarray  # (N, n_muscles)
    exo_torque_nm: np.ndarray  # (N, 2)
    prev_exo_torque_nm: np.ndarray  # (N, 2)
    joint_limit_nm: np.ndarray  # (N, J) joint-limit constraint torques
    body_weight_n: float
    fell: np.ndarray  # (N,) bool


def gaussian(x: np.ndarray, sigma: float | np.ndarray, coef: float = 1.0) -> np.ndarray:
    """exp(-coef x^2 / sigma^2)."""
    return np.exp(-coef * np.square(x) / np.square(sigma))


def velocity_gaussian(c: StepContext, cfg: RewardConfig) -> np.ndarray:
    """Forward-velocity tracking, exp(-c (v_x - v*)^2 / sigma^2)."""
    return gaussian(c.com_vel_mps[:, 0] - c.target_speed_mps, cfg.velocity_sigma_mps, cfg.velocity_coef)


def lateral_gaussian(c: StepContext, cfg: RewardConfig) -> np.ndarray:
    """exp(-v_y^2 / sigma^2)."""
    return gaussian(c.com_vel_mps[:, 1], cfg.lateral_sigma_mps)


def head_angvel_gaussian(c: StepContext, cfg: RewardConfig) -> np.ndarray:
    """Product over axes of exp(-w_i^2 / sigma_i^2)."""
    return np.prod(gaussian(c.head_angvel_rps, np.asarray(cfg.head_angvel_sigma_rps)), axis=1)


def tracking(c: StepContext, cfg: RewardConfig) -> np.ndarray:
    """Velocity Gaussian times lateral and head angular-velocity Gaussians."""
    return velocity_gaussian(c, cfg) * lateral_gaussian(c, cfg) * head_angvel_gaussian(c, cfg)


def joint_limit(c: StepContext, cfg: RewardConfig) -> np.ndarray:
    """Sum of |joint-limit torque| over the logged joints / (body weight x 1 m)."""
    return np.abs(c.joint_limit_nm).sum(axis=1) / c.body_weight_n


def effort(c: StepContext, cfg: RewardConfig) -> np.ndarray:
    """Sum of activation^3."""
    return np.power(c.activation, 3).sum(axis=1)


def exo_effort(c: StepContext, cfg: RewardConfig) -> np.ndarray:
    """Sum of (|tau| / torque_norm)^3."""
    return np.power(np.abs(c.exo_torque_nm) / cfg.torque_norm_nm, 3).sum(axis=1)


def exo_smoothness(c: StepContext, cfg: RewardConfig) -> np.ndarray:
    """Sum of (tau - tau_prev)^2, Nm^2."""
    return np.square(c.exo_torque_nm - c.prev_exo_torque_nm).sum(axis=1)


def fall(c: StepContext, cfg: RewardConfig) -> np.ndarray:
    """1 on the step that ends in a fall."""
    return c.fell.astype(float)


Term = Callable[[StepContext, RewardConfig], np.ndarray]
#: name -> (term, name of its weight in RewardConfig)
TERMS: dict[str, tuple[Term, str]] = {
    "tracking": (tracking, "tracking_weight"),
    "joint_limit": (joint_limit, "joint_limit_weight"),
    "effort": (effort, "effort_weight"),
    "exo_effort": (exo_effort, "exo_effort_weight"),
    "exo_smoothness": (exo_smoothness, "exo_smoothness_weight"),
    "fall": (fall, "fall_penalty"),
}


def compute_reward(c: StepContext, cfg: RewardConfig) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(N,) total reward and each weighted term (N,) by name."""
    terms = {name: getattr(cfg, weight) * fn(c, cfg) for name, (fn, weight) in TERMS.items()}
    return sum(terms.values(), np.zeros(len(c.fell))), terms
