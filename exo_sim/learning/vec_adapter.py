"""rsl-rl's VecEnv interface over the numpy WalkVecEnv (torch in, TensorDict out, CPU).

Also the training-side pieces the env does not do itself: the action map (policy output ->
env action), per-episode domain randomisation of each env's model, exo command latency,
observation noise, per-episode reward-term bookkeeping and the curriculum's condition ranges.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import numpy as np
import torch
from rsl_rl.env import VecEnv
from tensordict import TensorDict

from exo_sim.env.config import ConditionConfig
from exo_sim.env.observations import Layout
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.randomization import DomainRandomizer
from exo_sim.learning.reflex import ReflexBase
from exo_sim.learning.train_config import TrainConfig
from exo_sim.models.build import SimModel

logger = logging.getLogger(__name__)

OBS_GROUP = "policy"


class ActionMap:
    """env action = offset + scale x (policy output placed in the action layout).

    With ``muscles=True`` the policy outputs the whole action (synergies get a small positive
    offset). With ``muscles=False`` it outputs the two exo torques only: the muscles stay with the
    env's base controller (the reflex layer) and PPO explores, and is credited, in two dimensions.
    """

    def __init__(self, layout: Layout, scale: float, synergy_offset: float, *, muscles: bool = True) -> None:
        self.size = layout.size
        self.exo = layout.slices()["exo"]
        self.offset = np.zeros(layout.size)
        self.scale = scale
        if muscles:
            self.offset[layout.slices()["synergy"]] = synergy_offset
            self.columns = np.arange(layout.size)  # action column of each policy output
            self.policy_exo = self.exo  # where the exo outputs sit in the policy output
        else:
            self.columns = np.arange(layout.size)[self.exo]
            self.policy_exo = slice(0, len(self.columns))
        self.policy_size = len(self.columns)

    def to_env(self, u: np.ndarray) -> np.ndarray:
        """Policy output (N, policy_size) -> env action (N, A) (the env clips to its bounds)."""
        a = np.tile(self.offset, (len(u), 1))
        a[:, self.columns] += self.scale * np.asarray(u, dtype=float)
        return a

    def to_policy(self, a: np.ndarray) -> np.ndarray:
        """Inverse map (for behaviour cloning targets)."""
        return (np.asarray(a, dtype=float)[:, self.columns] - self.offset[self.columns]) / self.scale


def action_map(cfg: TrainConfig, env: WalkVecEnv) -> ActionMap:
    """The action map of a training config on ``env``'s layout."""
    p = cfg.policy
    return ActionMap(env.act_layout, p.action_scale, 0.0 if p.reflex_base else p.synergy_offset, muscles=p.muscle_residual)


class RslWalkEnv(VecEnv):
    """A WalkVecEnv seen by rsl-rl: ``get_observations``/``step`` with TensorDicts."""

    def __init__(self, cfg: TrainConfig, *, sim: SimModel | None = None, env: WalkVecEnv | None = None) -> None:
        self.train_cfg = cfg
        self.env = env or WalkVecEnv(cfg.env, cfg.num_envs, backend=cfg.backend, nthread=cfg.nthread, sim=sim)
        self.num_envs = self.env.num_envs
        self.max_episode_length = cfg.env.max_steps
        self.episode_length_buf = torch.zeros(self.num_envs, dtype=torch.long)
        self.device = "cpu"
        self.cfg = dataclasses.asdict(cfg)
        base = cfg.policy.reflex_base
        self.actions = action_map(cfg, self.env)
        self.num_actions = self.actions.policy_size
        if base:
            self.env.set_base_controller(ReflexBase.from_file(base, self.env))
        self.randomizer = DomainRandomizer(cfg.randomization, self.env.sim)
        self._rng = np.random.default_rng(cfg.seed)
        n = self.num_envs
        max_delay = cfg.randomization.motor_latency_steps[1] if cfg.randomization.enabled else 0
        self._exo_hist = np.zeros((max_delay + 1, n, 2))
        self._delay = np.zeros(n, dtype=int)
        self._term_sums: dict[str, np.ndarray] = {}
        self._ep_len = np.zeros(n, dtype=int)
        self._ep_speed = np.zeros(n)
        self.finished: list[dict[str, np.ndarray]] = []
        self._obs = np.zeros((n, self.env.obs_layout.size), dtype=np.float32)
        self.obs_perm, self.obs_sign = (torch.as_tensor(x) for x in self.env.obs_layout.mirror_map())
        self.act_perm, self.act_sign = (torch.as_tensor(x) for x in self.env.act_layout.mirror_map())

    # ------------------------------------------------------------ control
    def set_conditions(self, conditions: ConditionConfig) -> None:
        """Draw the next episodes' speed and slope from ``conditions`` (curriculum)."""
        self.env.cfg = dataclasses.replace(self.env.cfg, conditions=conditions)

    def reset(self, seed: int) -> TensorDict:
        """Re-seed and reset every env (randomisation redrawn); episode bookkeeping restarts."""
        self._rng = np.random.default_rng(seed)
        for i in range(self.num_envs):
            self._new_episode(i)
        obs, _ = self.env.reset(seed=seed)
        self._obs = obs
        self._ep_len[:] = 0
        self._ep_speed[:] = 0.0
        self._term_sums = {}
        self.episode_length_buf = torch.zeros(self.num_envs, dtype=torch.long)
        return self.get_observations()

    def _new_episode(self, i: int) -> None:
        """Randomise env i's model for its next episode (the env's own reset draws speed and slope)."""
        self.randomizer.apply(self.env.physics.models[i], self._rng)
        self._delay[i] = self.randomizer.latency(self._rng)
        self._exo_hist[:, i] = 0.0

    # ------------------------------------------------------------ VecEnv
    def get_observations(self) -> TensorDict:
        obs = self._obs
        std = self.train_cfg.randomization.obs_noise_std if self.train_cfg.randomization.enabled else 0.0
        if std > 0.0:
            obs = obs + self._rng.normal(0.0, std, obs.shape).astype(np.float32)
        return TensorDict({OBS_GROUP: torch.from_numpy(np.ascontiguousarray(obs, dtype=np.float32))}, batch_size=[self.num_envs])

    def env_action(self, policy_actions: np.ndarray) -> np.ndarray:
        """Policy output -> env action, with the exo command delayed per env."""
        a = self.actions.to_env(policy_actions)  # the env adds its base controller's action (reflexes)
        self._exo_hist = np.roll(self._exo_hist, 1, axis=0)
        self._exo_hist[0] = a[:, self.actions.exo]
        a[:, self.actions.exo] = self._exo_hist[self._delay, np.arange(self.num_envs)]
        return a

    def step(self, actions: torch.Tensor) -> tuple[TensorDict, torch.Tensor, torch.Tensor, dict[str, Any]]:
        a = self.env_action(actions.detach().cpu().numpy().astype(float))
        obs, rew, fell, trunc, info = self.env.step(a)
        self._obs = obs
        self._ep_len += 1
        self._ep_speed += self.env.physics.sensordata[:, self.env.cols.com_vel][:, 0]
        for name, value in info["terms"].items():
            self._term_sums.setdefault(name, np.zeros(self.num_envs))
            self._term_sums[name] += value
        done = fell | trunc
        if done.any():
            idx = np.flatnonzero(done)
            # Target speed of a finished env was already redrawn by the autoreset; keep what we can.
            self.finished.append({
                "length_s": self._ep_len[idx] / self.env.cfg.policy_hz,
                "fell": fell[idx].copy(),
                "mean_speed_mps": self._ep_speed[idx] / np.maximum(self._ep_len[idx], 1),
                **{f"term/{k}": v[idx] / np.maximum(self._ep_len[idx], 1) for k, v in self._term_sums.items()},
            })
            for i in idx:
                self._new_episode(int(i))
            self._ep_len[idx] = 0
            self._ep_speed[idx] = 0.0
            for v in self._term_sums.values():
                v[idx] = 0.0
        self.episode_length_buf = torch.from_numpy(self._ep_len.copy())
        extras = {"time_outs": torch.from_numpy(trunc.astype(np.float32))}
        return (self.get_observations(), torch.from_numpy(rew.astype(np.float32)),
                torch.from_numpy(done.astype(np.float32)), extras)

    def pop_finished(self) -> dict[str, np.ndarray]:
        """Stats of the episodes finished since the last call, concatenated per key."""
        out: dict[str, np.ndarray] = {}
        for ep in self.finished:
            for k, v in ep.items():
                out[k] = np.concatenate([out[k], v]) if k in out else np.asarray(v)
        self.finished = []
        return out

    def close(self) -> None:
        self.env.close()


def mirror_augment(env: RslWalkEnv, obs: TensorDict | None = None, actions: torch.Tensor | None = None,
                   ) -> tuple[TensorDict | None, torch.Tensor | None]:
    """rsl-rl Symmetry data augmentation: [original; left/right mirrored] for obs and actions."""
    out_obs = out_act = None
    if obs is not None:
        x = obs[OBS_GROUP]
        mirrored = x[:, env.obs_perm] * env.obs_sign.to(x.dtype)
        out_obs = TensorDict({OBS_GROUP: torch.cat([x, mirrored])}, batch_size=[2 * x.shape[0]])
    if actions is not None:
        mirrored_a = actions[:, env.act_perm] * env.act_sign.to(actions.dtype)
        out_act = torch.cat([actions, mirrored_a])
    return out_obs, out_act
