"""Trained teachers as plain callables (observation -> env action), and their ONNX export.

A PPO checkpoint holds its TrainConfig, so the actor, its normaliser and the action map are
rebuilt from the file alone. The deterministic policy is the Gaussian mean.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch
from rsl_rl.models import MLPModel
from tensordict import TensorDict

from exo_interfaces.params import from_mapping
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.ppo_runner import build_actor
from exo_sim.learning.teacher_export import export_teacher
from exo_sim.learning.train_config import TrainConfig
from exo_sim.learning.vec_adapter import OBS_GROUP, ActionMap, action_map

Policy = Callable[[np.ndarray], np.ndarray]


class ActorModule(torch.nn.Module):
    """obs -> env action: normaliser, MLP, Gaussian mean, action map (the env clips to bounds)."""

    def __init__(self, actor: MLPModel, action_map: ActionMap) -> None:
        super().__init__()
        self.normalizer = cast(torch.nn.Module, actor.obs_normalizer)
        self.mlp = cast(torch.nn.Module, actor.mlp)
        self.register_buffer("offset", torch.as_tensor(action_map.offset, dtype=torch.float32))
        place = np.zeros((action_map.policy_size, action_map.size), dtype=np.float32)
        place[np.arange(action_map.policy_size), action_map.columns] = action_map.scale
        self.register_buffer("place", torch.as_tensor(place))  # policy output -> scaled action columns

    def forward(self, obs: torch.Tensor) -> torch.Tensor:
        return self.offset + self.mlp(self.normalizer(obs)) @ self.place


def load_checkpoint(path: str | Path) -> tuple[TrainConfig, dict[str, Any]]:
    """The training config and raw state of a checkpoint."""
    state = torch.load(path, weights_only=False, map_location="cpu")
    return from_mapping(TrainConfig, state["config"], source=f"{path}: config"), state


def actor_module(cfg: TrainConfig, state: dict[str, Any], env: WalkVecEnv) -> ActorModule:
    """Rebuild the actor of a checkpoint for ``env`` (which must have the training layout)."""
    obs = TensorDict({OBS_GROUP: torch.zeros(1, env.obs_layout.size)}, batch_size=[1])
    amap = action_map(cfg, env)
    actor = build_actor(cfg, obs, amap.policy_size)
    actor.load_state_dict(state["actor_state_dict"])
    return ActorModule(actor, amap).eval()


def torch_policy(module: ActorModule) -> Policy:
    """A numpy callable around an actor module."""
    def act(obs: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            x = torch.as_tensor(np.atleast_2d(np.asarray(obs, dtype=np.float32)))
            return module(x).numpy().astype(float)
    return act


def checkpoint_policy(cfg: TrainConfig, state: dict[str, Any], env: WalkVecEnv) -> Policy:
    """The deterministic policy of a checkpoint on ``env``; its reflex base, if any, is installed as
    the env's base controller."""
    from exo_sim.learning.reflex import ReflexBase

    env.set_base_controller(ReflexBase.from_file(cfg.policy.reflex_base, env) if cfg.policy.reflex_base else None)
    return torch_policy(actor_module(cfg, state, env))


def export_checkpoint(path: Path, out: Path, *, command: str = "") -> Path:
    """Write the checkpoint's actor as a teacher ONNX file (exo_sim.learning.teacher_export format)."""
    cfg, state = load_checkpoint(path)
    # A residual policy on the reflex controller carries the reflex parameters in its metadata;
    # exo_sim.learning.teacher_export.teacher_policy installs the reflex as the env's base controller.
    reflex = json.loads(Path(cfg.policy.reflex_base).read_text())["params"] if cfg.policy.reflex_base else None
    env = WalkVecEnv(cfg.env, 1, nthread=1, autoreset=False)
    try:
        module = actor_module(cfg, state, env)
        export_teacher(module, out, cfg.env, env.obs_layout.size, env.act_layout.size, stage=cfg.stage,
                       training_command=state.get("command", "") or command, reflex_params=reflex)
    finally:
        env.close()
    return out
