"""Teacher training loop: rsl-rl's PPO on RslWalkEnv with curriculum, checkpoints and logs.

The loop is rsl-rl's ``OnPolicyRunner.learn`` (act, process_env_step, compute_returns, update)
with what that runner lacks here: the curriculum between iterations, checkpoints that resume
exactly, and per-term / outcome logging (TensorBoard + ``metrics.csv``).

Exact resume: at the start of every run and at every ``save_interval`` iteration the env is
re-seeded from (seed, iteration) and reset, so a checkpoint written there (networks, optimiser,
normaliser, torch RNG, curriculum, counters) fully determines what follows. Episodes running
at a checkpoint boundary are cut (not counted as falls or successes).
"""

from __future__ import annotations

import csv
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
from rsl_rl.algorithms import PPO
from rsl_rl.models import MLPModel
from rsl_rl.storage import RolloutStorage

from exo_sim.learning.curriculum import Curriculum
from exo_sim.learning.export import git_commit
from exo_sim.learning.train_config import TrainConfig, config_to_mapping
from exo_sim.learning.vec_adapter import OBS_GROUP, RslWalkEnv, mirror_augment
from exo_sim.models.build import SimModel

logger = logging.getLogger(__name__)

OBS_GROUPS = {"actor": [OBS_GROUP], "critic": [OBS_GROUP]}


def build_actor(cfg: TrainConfig, obs: Any, num_actions: int) -> MLPModel:
    """The stochastic actor (Gaussian, learnable log std) with its observation normaliser."""
    p = cfg.policy
    return MLPModel(obs, OBS_GROUPS, "actor", num_actions, hidden_dims=p.actor_hidden, activation=p.activation,
                    obs_normalization=p.obs_normalization,
                    distribution_cfg={"class_name": "GaussianDistribution", "init_std": p.init_std, "std_type": "log"})


def build_ppo(cfg: TrainConfig, env: RslWalkEnv) -> PPO:
    """Actor, critic, rollout storage and PPO, built directly (no prints, typed config)."""
    obs = env.get_observations()
    p = cfg.policy
    actor = build_actor(cfg, obs, env.num_actions)
    critic = MLPModel(obs, OBS_GROUPS, "critic", 1, hidden_dims=p.critic_hidden, activation=p.activation,
                      obs_normalization=p.obs_normalization)
    storage = RolloutStorage("rl", env.num_envs, cfg.steps_per_env, obs, [env.num_actions], "cpu")
    symmetry = ({"env": env, "data_augmentation_func": mirror_augment, "use_data_augmentation": True}
                if p.symmetry_augmentation else None)
    q = cfg.ppo
    return PPO(actor, critic, storage, num_learning_epochs=q.num_learning_epochs, num_mini_batches=q.num_mini_batches,
               clip_param=q.clip_param, gamma=q.gamma, lam=q.lam, value_loss_coef=q.value_loss_coef,
               entropy_coef=q.entropy_coef, learning_rate=q.learning_rate, max_grad_norm=q.max_grad_norm,
               schedule=q.schedule, desired_kl=q.desired_kl, device="cpu", symmetry_cfg=symmetry)


def env_seed(seed: int, iteration: int) -> int:
    """The env seed used at a checkpoint boundary."""
    return int(np.random.SeedSequence([seed, iteration]).generate_state(1)[0])


class TeacherRunner:
    """One training stage: env, PPO, curriculum; ``learn`` continues from ``iteration``."""

    def __init__(self, cfg: TrainConfig, run_dir: str | Path | None = None, *, sim: SimModel | None = None,
                 command: str = "") -> None:
        self.cfg = cfg
        self.run_dir = Path(run_dir) if run_dir is not None else None
        self.command = command
        self.commit = git_commit()  # the code this process runs, not HEAD at the time of a later save
        torch.manual_seed(cfg.seed)
        self.env = RslWalkEnv(cfg, sim=sim)
        self.curriculum = Curriculum(cfg.curriculum, cfg.env.conditions)
        self.env.set_conditions(self.curriculum.conditions())
        self.env.reset(seed=env_seed(cfg.seed, 0))
        self.alg = build_ppo(cfg, self.env)
        if cfg.policy.reflex_base:
            # Residual on a reflex base: start exactly at the base (zero mean output).
            last = [m for m in self.alg.get_policy().mlp.modules() if isinstance(m, torch.nn.Linear)][-1]
            with torch.no_grad():
                last.weight.zero_()
                last.bias.zero_()
        self.iteration = 0
        self.env_steps = 0
        self.wall_s = 0.0
        self._writer: Any = None

    # ------------------------------------------------------------- state
    def state_dict(self) -> dict[str, Any]:
        """Everything a resume needs (see module doc)."""
        return {
            **self.alg.save(),
            "iter": self.iteration,
            "env_steps": self.env_steps,
            "wall_s": self.wall_s,
            "learning_rate": self.alg.learning_rate,
            "curriculum": self.curriculum.state_dict(),
            "torch_rng": torch.get_rng_state(),
            "config": config_to_mapping(self.cfg),
            "stage": self.cfg.stage,
            "commit": self.commit,
            "command": self.command,
        }

    def save(self, path: str | Path) -> Path:
        """Write a checkpoint."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(self.state_dict(), path)
        logger.info("saved checkpoint %s (iteration %d, %d env steps)", path, self.iteration, self.env_steps)
        return path

    def load(self, path: str | Path) -> None:
        """Resume from a checkpoint of this same stage."""
        state = torch.load(path, weights_only=False, map_location="cpu")
        self.alg.load(state, None, strict=True)
        self.alg.learning_rate = float(state["learning_rate"])
        self.iteration = int(state["iter"])
        self.env_steps = int(state["env_steps"])
        self.wall_s = float(state.get("wall_s", 0.0))
        self.curriculum.load_state_dict(state["curriculum"])
        self.env.set_conditions(self.curriculum.conditions())
        torch.set_rng_state(state["torch_rng"])
        logger.info("resumed from %s at iteration %d", path, self.iteration)

    def init_from(self, path: str | Path) -> None:
        """Start this stage from another stage's (or behaviour cloning's) networks; fresh optimiser.

        Into the assisted stage: the exo outputs start at zero mean (no torque until learned) with
        the initial noise, and the normaliser of the exo-torque observation (always 0 in stage 1,
        so its std is ~0) is reset to mean 0 / std 1.
        """
        state = torch.load(path, weights_only=False, map_location="cpu")
        actor, critic = self.alg.get_policy(), self.alg.critic
        actor.load_state_dict(state["actor_state_dict"], strict=True)
        if "critic_state_dict" in state:
            critic.load_state_dict(state["critic_state_dict"], strict=True)
        if self.cfg.stage == "assist" and state.get("stage") != "assist":
            exo = self.env.actions.policy_exo
            exo_obs = self.env.env.obs_layout.slices()["exo_torque_norm"]
            with torch.no_grad():
                last = [m for m in actor.mlp.modules() if isinstance(m, torch.nn.Linear)][-1]
                last.weight[exo] = 0.0
                last.bias[exo] = 0.0
                actor.distribution.log_std_param[exo] = float(np.log(self.cfg.policy.exo_init_std or self.cfg.policy.init_std))
                for model in (actor, critic):
                    norm = model.obs_normalizer
                    if hasattr(norm, "_mean"):
                        norm._mean[:, exo_obs] = 0.0
                        norm._var[:, exo_obs] = 1.0
                        norm._std[:, exo_obs] = 1.0
        logger.info("initialised %s stage from %s (stage %s)", self.cfg.stage, path, state.get("stage"))

    # ------------------------------------------------------------- train
    def learn(self, iterations: int) -> list[dict[str, float]]:
        """Run ``iterations`` PPO iterations; returns one metrics dict per iteration."""
        cfg = self.cfg
        start = self.iteration
        history: list[dict[str, float]] = []
        self.alg.train_mode()
        obs = self.env.get_observations()
        for it in range(start, start + iterations):
            if it == start or it % cfg.save_interval == 0:
                self.env.set_conditions(self.curriculum.conditions())
                obs = self.env.reset(seed=env_seed(cfg.seed, it))
                if self.run_dir is not None and it % cfg.save_interval == 0:
                    ckpt = self.run_dir / "checkpoints" / f"model_{it:06d}.pt"
                    if not ckpt.exists():
                        self.save(ckpt)
            t0 = time.perf_counter()
            rewards = np.zeros(cfg.num_envs)
            with torch.inference_mode():
                for _ in range(cfg.steps_per_env):
                    actions = self.alg.act(obs)
                    obs, rew, dones, extras = self.env.step(actions)
                    self.alg.process_env_step(obs, rew, dones, extras)
                    rewards += rew.numpy()
                self.alg.compute_returns(obs)
            t1 = time.perf_counter()
            losses = self.alg.update()
            t2 = time.perf_counter()
            finished = self.env.pop_finished()
            if "length_s" in finished:
                self.curriculum.record(finished["length_s"], finished["fell"])
                self.env.set_conditions(self.curriculum.conditions())
            n_steps = cfg.steps_per_env * cfg.num_envs
            self.env_steps += n_steps
            self.wall_s += t2 - t0
            self.iteration = it + 1
            row = self._metrics(it, rewards / cfg.steps_per_env, finished, losses, n_steps / (t1 - t0), n_steps / (t2 - t0))
            history.append(row)
            self._log(row)
        if self.run_dir is not None:
            self.save(self.run_dir / "checkpoints" / f"model_{self.iteration:06d}.pt")
            self.save(self.run_dir / "latest.pt")
        return history

    def _metrics(self, it: int, step_reward: np.ndarray, fin: dict[str, np.ndarray], losses: dict[str, float],
                 collect_fps: float, total_fps: float) -> dict[str, float]:
        nan = float("nan")
        n_ep = len(fin.get("length_s", ()))
        ok = (fin["length_s"] >= self.cfg.curriculum.success_s - 1e-9) & ~fin["fell"] if n_ep else np.zeros(0, bool)
        row: dict[str, float] = {
            "iteration": it, "env_steps": self.env_steps, "wall_s": self.wall_s,
            "collect_steps_per_s": collect_fps, "steps_per_s": total_fps,
            "reward_per_step": float(step_reward.mean()), "episodes": n_ep,
            "episode_length_s": float(fin["length_s"].mean()) if n_ep else nan,
            "fall_rate": float(fin["fell"].mean()) if n_ep else nan,
            "success_rate": float(ok.mean()) if n_ep else nan,
            "episode_speed_mps": float(fin["mean_speed_mps"].mean()) if n_ep else nan,
            "curriculum_level": self.curriculum.level,
            "speed_lo": self.curriculum.speed_range[0], "speed_hi": self.curriculum.speed_range[1],
            "slope_lo": self.curriculum.slope_range[0], "slope_hi": self.curriculum.slope_range[1],
            "learning_rate": self.alg.learning_rate,
            "action_std": float(self.alg.get_policy().output_std.detach().mean()),
        }
        for name, loss in losses.items():
            row[f"loss/{name}"] = float(loss)
        for name, values in fin.items():
            if name.startswith("term/"):
                row[name] = float(values.mean())
        return row

    def _log(self, row: dict[str, float]) -> None:
        logger.info(
            "it %d | steps %d | %.0f steps/s | r/step %.3f | ep %.2f s | fall %.2f | success %.2f | lvl %d",
            row["iteration"], row["env_steps"], row["steps_per_s"], row["reward_per_step"], row["episode_length_s"],
            row["fall_rate"], row["success_rate"], row["curriculum_level"],
        )
        if self.run_dir is None:
            return
        if self._writer is None:
            from torch.utils.tensorboard import SummaryWriter

            self._writer = SummaryWriter(log_dir=str(self.run_dir / "tb"), flush_secs=30)
        step = int(row["env_steps"])
        for k, v in row.items():
            if k not in ("iteration", "env_steps") and np.isfinite(v):
                tag = k if "/" in k else f"train/{k}"
                self._writer.add_scalar(tag, v, step)
        path = self.run_dir / "metrics.csv"
        known = ["iteration", "env_steps", "wall_s", "collect_steps_per_s", "steps_per_s", "reward_per_step", "episodes",
                 "episode_length_s", "fall_rate", "success_rate", "episode_speed_mps", "curriculum_level", "speed_lo",
                 "speed_hi", "slope_lo", "slope_hi", "learning_rate", "action_std", "loss/value", "loss/surrogate",
                 "loss/entropy", "loss/symmetry", "term/tracking", "term/joint_limit", "term/effort", "term/exo_effort",
                 "term/exo_smoothness", "term/fall"]
        new = not path.exists()
        with path.open("a", newline="") as f:
            w = csv.DictWriter(f, fieldnames=known, extrasaction="ignore")
            if new:
                w.writeheader()
            w.writerow(row)

    def close(self) -> None:
        """Flush logs, stop threads."""
        if self._writer is not None:
            self._writer.close()
        self.env.close()
