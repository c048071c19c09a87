"""Typed configuration of teacher training: PPO, networks, curriculum, domain randomisation.

A training config file is a ROS 2 parameter file with one section, ``teacher_training``, read
by :func:`load_train_config`; unknown keys and out-of-range values are errors naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from exo_interfaces.params import check_fields, from_mapping, param, read_parameter_file, to_mapping
from exo_sim.env.config import EnvConfig

SECTION = "teacher_training"


@dataclass(frozen=True, kw_only=True)
class PPOConfig:
    """rsl-rl PPO hyper-parameters (names as in ``rsl_rl.algorithms.PPO``)."""

    learning_rate: float = param(3e-4, "Initial Adam learning rate (adapted by the KL schedule).", gt=0.0, le=0.1)
    num_learning_epochs: int = param(5, "Passes over each rollout.", ge=1, le=50)
    num_mini_batches: int = param(4, "Mini-batches per pass.", ge=1, le=512)
    clip_param: float = param(0.2, "PPO ratio clip.", gt=0.0, le=1.0)
    gamma: float = param(0.99, "Discount per policy step.", gt=0.0, le=1.0)
    lam: float = param(0.95, "GAE lambda.", ge=0.0, le=1.0)
    value_loss_coef: float = param(1.0, "Value loss weight.", ge=0.0)
    entropy_coef: float = param(0.002, "Entropy bonus weight.", ge=0.0)
    max_grad_norm: float = param(1.0, "Gradient norm clip.", gt=0.0)
    desired_kl: float = param(0.01, "Target KL of the adaptive learning-rate schedule.", gt=0.0)
    schedule: Literal["adaptive", "fixed"] = param("adaptive", "Learning-rate schedule.")

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass(frozen=True, kw_only=True)
class PolicyConfig:
    """Actor and critic MLPs, observation normalisation and the action map."""

    actor_hidden: tuple[int, ...] = param((256, 128), "Actor hidden layer widths.", ge=8, le=2048)
    critic_hidden: tuple[int, ...] = param((256, 256), "Critic hidden layer widths.", ge=8, le=2048)
    activation: Literal["elu", "relu", "tanh"] = param("elu", "Hidden activation.")
    init_std: float = param(0.3, "Initial action noise std (policy output units).", gt=0.0, le=2.0)
    muscle_residual: bool = param(True, "Policy outputs drive the muscles too (residual on the reflex base); False: exo torques only.")
    exo_init_std: float = param(0.0, "Initial noise std of the exo outputs when the assisted stage starts from stage 1; 0 = init_std. "
                                "(The muscle residual on a reflex base tolerates little noise; the exo torque needs enough to explore.)", ge=0.0, le=2.0)
    obs_normalization: bool = param(True, "Running mean/std normalisation of actor and critic inputs.")
    action_scale: float = param(0.5, "Env action = offset + action_scale x policy output.", gt=0.0, le=2.0)
    synergy_offset: float = param(0.1, "Offset of the synergy actions (a policy output of 0 gives this level).", ge=0.0, le=1.0)
    reflex_base: str = param(
        "", "Reflex parameters (JSON from reflex-tune) used as a base policy: env action = reflex action + "
        "action_scale x policy output, synergy_offset unused; '' = no base."
    )
    symmetry_augmentation: bool = param(False, "Add left/right mirrored samples to every PPO mini-batch (rsl-rl Symmetry).")

    def __post_init__(self) -> None:
        check_fields(self)
        if self.symmetry_augmentation and not self.muscle_residual:
            raise ValueError("PolicyConfig: symmetry_augmentation needs the full action (muscle_residual: true)")
        if not self.muscle_residual and not self.reflex_base:
            raise ValueError("PolicyConfig: muscle_residual: false needs a reflex_base to drive the muscles")


@dataclass(frozen=True, kw_only=True)
class CurriculumConfig:
    """Speed and slope ranges that start narrow and widen toward ``env.conditions`` as success allows."""

    enabled: bool = param(True, "Widen ranges with success; off: train on env.conditions from the start.")
    start_speed_range_mps: tuple[float, float] = param((1.1, 1.3), "Speed interval at the start of the stage, m/s.", ge=0.3, le=2.5)
    start_slope_range_deg: tuple[float, float] = param((0.0, 0.0), "Slope interval at the start of the stage, deg.", ge=-15.0, le=15.0)
    speed_step_mps: float = param(0.1, "Each widening moves both speed bounds out by this, m/s.", gt=0.0, le=1.0)
    slope_step_deg: float = param(2.5, "Each widening moves both slope bounds out by this, deg.", gt=0.0, le=10.0)
    success_s: float = param(20.0, "An episode counts as a success if it lasts this long without a fall, s.", gt=0.0, le=600.0)
    success_rate: float = param(0.6, "Widen when the success rate over the window reaches this.", gt=0.0, le=1.0)
    window_episodes: int = param(64, "Episodes in the success window (cleared on each widening).", ge=1, le=100000)

    def __post_init__(self) -> None:
        check_fields(self)
        for name in ("start_speed_range_mps", "start_slope_range_deg"):
            lo, hi = getattr(self, name)
            if lo > hi:
                raise ValueError(f"CurriculumConfig.{name}: ({lo}, {hi}) has min > max")


@dataclass(frozen=True, kw_only=True)
class RandomizationConfig:
    """Per-episode domain randomisation applied to each env's own MjModel (uniform in each interval).

    EnvConfig has no randomisation fields (sensor noise of the device only), so these are applied
    by the training adapter to ``WalkVecEnv.physics.models[i]`` when env i starts an episode.
    """

    enabled: bool = param(True, "Apply the randomisation below.")
    body_mass_scale: tuple[float, float] = param((0.9, 1.1), "Scale of every body segment's mass and inertia.", ge=0.5, le=2.0)
    exo_mass_scale: tuple[float, float] = param((0.8, 1.2), "Scale of the exo parts' masses and inertias.", ge=0.0, le=3.0)
    friction: tuple[float, float] = param((0.7, 1.2), "Ground sliding friction coefficient.", gt=0.0, le=3.0)
    muscle_strength_scale: tuple[float, float] = param((0.9, 1.1), "Scale of every muscle's peak force.", ge=0.3, le=2.0)
    motor_strength_scale: tuple[float, float] = param((0.85, 1.15), "Scale of the exo motors' torque (gear).", ge=0.0, le=2.0)
    motor_latency_steps: tuple[int, int] = param((0, 1), "Exo torque command delay, whole policy periods (25 ms at 40 Hz).", ge=0, le=8)
    obs_noise_std: float = param(0.01, "White noise added to the normalised-scale teacher observation.", ge=0.0, le=1.0)

    def __post_init__(self) -> None:
        check_fields(self)
        for name in ("body_mass_scale", "exo_mass_scale", "friction", "muscle_strength_scale",
                     "motor_strength_scale", "motor_latency_steps"):
            lo, hi = getattr(self, name)
            if lo > hi:
                raise ValueError(f"RandomizationConfig.{name}: ({lo}, {hi}) has min > max")


@dataclass(frozen=True, kw_only=True)
class TrainConfig:
    """One training stage of the teacher."""

    env: EnvConfig = param(EnvConfig(), "Walking env; env.exo_mode is the stage ('no_exo' = stage 1, 'assist' = stage 2).")
    seed: int = param(0, "Seed of torch, the env and the randomisation.", ge=0)
    num_envs: int = param(32, "Parallel bodies.", ge=1, le=4096)
    nthread: int = param(1, "Physics threads (2 shared cores here: keep 1-2).", ge=1, le=256)
    backend: Literal["threads", "rollout"] = param("threads", "Physics backend of WalkVecEnv.")
    steps_per_env: int = param(64, "Policy steps per env per iteration (rollout length).", ge=2, le=10000)
    iterations: int = param(1000, "PPO iterations of this stage.", ge=1)
    save_interval: int = param(25, "Checkpoint every this many iterations (the env is re-seeded there).", ge=1)
    ppo: PPOConfig = param(PPOConfig(), "PPO.")
    policy: PolicyConfig = param(PolicyConfig(), "Networks and action map.")
    curriculum: CurriculumConfig = param(CurriculumConfig(), "Speed/slope curriculum.")
    randomization: RandomizationConfig = param(RandomizationConfig(), "Domain randomisation.")

    def __post_init__(self) -> None:
        check_fields(self)

    @property
    def stage(self) -> str:
        """'no_exo' (stage 1) or 'assist' (stage 2)."""
        return self.env.exo_mode


def load_train_config(path: str | Path, overrides: dict[str, Any] | None = None) -> TrainConfig:
    """Read the ``teacher_training`` section of a parameter file; dotted ``overrides`` win."""
    sections = read_parameter_file(path)
    values = dict(sections.get(SECTION, {}))
    if not values and SECTION not in sections:
        raise ValueError(f"{path}: no '{SECTION}' section; found {sorted(sections)}")
    values.update(overrides or {})
    return from_mapping(TrainConfig, values, source=f"{path}: {SECTION}")


def config_to_mapping(cfg: TrainConfig) -> dict[str, Any]:
    """Plain nested values (for checkpoints and the run directory's config copy)."""
    return to_mapping(cfg)
