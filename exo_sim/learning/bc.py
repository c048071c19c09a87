"""Behaviour cloning of the reflex controller into the PPO actor: the predictive warm start.

The reflex controller walks the training env (same adapter as PPO: randomisation, initial
states, observation noise); its actions, mapped back to policy units, label the observations.
Executed actions carry small Gaussian noise (DART-style) so the data covers the states the
clone will drift into; labels are the noise-free reflex actions. The actor's normaliser is
fitted to the data, then its mean output is regressed on the labels (MSE). The result is a
checkpoint that ``train --init-from`` accepts.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import torch
from tensordict import TensorDict

from exo_sim.learning.export import git_commit
from exo_sim.learning.ppo_runner import build_actor, env_seed
from exo_sim.learning.reflex import ExcitationProjector, ReflexController, from_dict
from exo_sim.learning.train_config import TrainConfig, config_to_mapping
from exo_sim.learning.vec_adapter import OBS_GROUP, RslWalkEnv

logger = logging.getLogger(__name__)


def collect(cfg: TrainConfig, theta: np.ndarray, steps: int, noise: float) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """(obs, policy-unit labels, stats) from ``steps`` adapter steps of every env."""
    env = RslWalkEnv(cfg)
    try:
        ctrl, proj = ReflexController(env.env), ExcitationProjector(env.env)
        rng = np.random.default_rng(cfg.seed)
        td = env.reset(seed=env_seed(cfg.seed, 0))
        xs, ys = [], []
        for _ in range(steps):
            obs = td[OBS_GROUP].numpy()
            label = env.actions.to_policy(proj(ctrl(obs, theta)))
            xs.append(obs)
            ys.append(label)
            td, _r, _d, _e = env.step(torch.as_tensor(label + rng.normal(0.0, noise, label.shape), dtype=torch.float32))
        fin = env.pop_finished()
        stats: dict[str, Any] = {"samples": steps * env.num_envs,
                 "episodes": int(len(fin.get("length_s", ()))),
                 "mean_episode_s": float(np.mean(fin["length_s"])) if "length_s" in fin else float("nan")}
        return np.concatenate(xs), np.concatenate(ys), stats
    finally:
        env.close()


def fit_actor(cfg: TrainConfig, obs: np.ndarray, labels: np.ndarray, epochs: int, lr: float = 1e-3,
              batch: int = 512) -> tuple[torch.nn.Module, float]:
    """Actor with its normaliser fitted on ``obs`` and its mean regressed on ``labels``; final MSE."""
    gen = torch.Generator().manual_seed(cfg.seed)
    torch.manual_seed(cfg.seed)
    x = torch.as_tensor(obs, dtype=torch.float32)
    y = torch.as_tensor(labels, dtype=torch.float32)
    actor = build_actor(cfg, TensorDict({OBS_GROUP: x[:1]}, batch_size=[1]), y.shape[1])
    actor.train()
    actor.update_normalization(TensorDict({OBS_GROUP: x}, batch_size=[len(x)]))
    opt = torch.optim.Adam(actor.mlp.parameters(), lr=lr)
    loss = torch.tensor(float("nan"))
    for epoch in range(epochs):
        perm = torch.randperm(len(x), generator=gen)
        total = 0.0
        for i in range(0, len(x), batch):
            idx = perm[i : i + batch]
            pred = actor(TensorDict({OBS_GROUP: x[idx]}, batch_size=[len(idx)]))
            loss = torch.nn.functional.mse_loss(pred, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += float(loss.detach()) * len(idx)
        logger.info("bc epoch %d: mse %.5f", epoch, total / len(x))
    with torch.no_grad():
        mse = float(torch.nn.functional.mse_loss(actor(TensorDict({OBS_GROUP: x}, batch_size=[len(x)])), y))
    return actor, mse


def clone_reflex(cfg: TrainConfig, reflex_json: Path, out: Path, *, steps: int = 200, epochs: int = 30,
                 noise: float = 0.05, command: str = "") -> dict[str, Any]:
    """Collect, fit, save a checkpoint for ``train --init-from``; returns stats."""
    best = json.loads(reflex_json.read_text())
    obs, labels, stats = collect(cfg, from_dict(best["params"]), steps, noise)
    actor, mse = fit_actor(cfg, obs, labels, epochs)
    stats.update({"mse": mse, "label_var": float(labels.var(axis=0).mean()), "reflex": str(reflex_json)})
    out.parent.mkdir(parents=True, exist_ok=True)
    torch.save({"actor_state_dict": actor.state_dict(), "stage": cfg.stage, "config": config_to_mapping(cfg),
                "bc": stats, "command": command, "commit": git_commit(), "iter": 0, "env_steps": 0}, out)
    logger.info("behaviour cloning: %s -> %s", stats, out)
    return stats
