"""Teacher actors as self-describing ONNX files, so the sim bridge needs no torch.

File contract: input ``obs`` float32 [batch, obs_dim] (the env's privileged observation,
un-normalised: any normaliser is inside the graph), output ``action`` float32
[batch, act_dim] (the env's action, deterministic mean). Metadata ``hip_exo.teacher`` holds
JSON with the EnvConfig the teacher was trained on, the layout sizes, the curriculum stage,
its provenance (command, commit) and, for a residual policy on a reflex controller, the reflex
parameters (one vector, or a speed x slope schedule of them): the teacher's action is then
reflex(obs) + network(obs), the reflex running as the env's base controller at the env's
``base_hz`` (:func:`teacher_policy`). A reflex teacher (``export-reflex``: a tuned reflex person,
network zero) may carry a phase-based assistance profile; its exo torque is then part of the
teacher's action, so the sim bridge and distillation read it where they read a network's.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import torch

from exo_interfaces.params import from_mapping, to_mapping
from exo_sim.env.config import EnvConfig
from exo_sim.learning.export import git_commit

TEACHER_KEY = "hip_exo.teacher"
OBS_NAME, ACTION_NAME = "obs", "action"


@dataclass(frozen=True)
class TeacherInfo:
    env: EnvConfig
    obs_dim: int
    act_dim: int
    stage: str
    training_command: str
    training_commit: str
    reflex_params: dict[str, float] | None = None
    reflex_schedule: dict[str, Any] | None = None  # exo_sim.learning.reflex_schedule's "schedule" entry
    assist_profile: dict[str, float] | None = None  # exo_sim.learning.assist_profile parameters


def export_teacher(actor: torch.nn.Module, path: str | Path, env_cfg: EnvConfig, obs_dim: int, act_dim: int, *,
                   stage: str, training_command: str = "", reflex_params: dict[str, float] | None = None,
                   reflex_schedule: dict[str, Any] | None = None, assist_profile: dict[str, float] | None = None) -> None:
    """Write ``actor`` (obs -> action, normaliser included) with its TeacherInfo."""
    if reflex_params is not None and reflex_schedule is not None:
        raise ValueError("export_teacher: give the reflex parameters or a reflex schedule, not both")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            actor.eval(), (torch.zeros(1, obs_dim),), str(path), input_names=[OBS_NAME], output_names=[ACTION_NAME],
            dynamic_axes={OBS_NAME: {0: "batch"}, ACTION_NAME: {0: "batch"}}, opset_version=17, dynamo=False,
        )
    proto = onnx.load(str(path))
    entry = proto.metadata_props.add()
    entry.key = TEACHER_KEY
    entry.value = json.dumps({
        "env": to_mapping(env_cfg), "obs_dim": obs_dim, "act_dim": act_dim, "stage": stage,
        "training_command": training_command, "training_commit": git_commit(), "reflex_params": reflex_params,
        "reflex_schedule": reflex_schedule, "assist_profile": assist_profile,
    })
    onnx.save(proto, str(path))


class TeacherRunner:
    """ONNX Runtime inference of an exported teacher."""

    def __init__(self, path: str | Path, *, threads: int = 1):
        path = Path(path)
        if not path.is_file():
            raise FileNotFoundError(f"teacher policy file not found: {path}")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        self.session = ort.InferenceSession(str(path), sess_options=opts, providers=["CPUExecutionProvider"])
        meta = self.session.get_modelmeta().custom_metadata_map
        if TEACHER_KEY not in meta:
            raise ValueError(f"{path} has no '{TEACHER_KEY}' metadata; export it with export_teacher()")
        raw: dict[str, Any] = json.loads(meta[TEACHER_KEY])
        self.info = TeacherInfo(
            env=from_mapping(EnvConfig, raw["env"], source=f"{path}: teacher env"),
            obs_dim=int(raw["obs_dim"]), act_dim=int(raw["act_dim"]), stage=str(raw["stage"]),
            training_command=str(raw.get("training_command", "")), training_commit=str(raw.get("training_commit", "")),
            reflex_params=raw.get("reflex_params"), reflex_schedule=raw.get("reflex_schedule"),
            assist_profile=raw.get("assist_profile"),
        )

    def __call__(self, obs: np.ndarray) -> np.ndarray:
        (out,) = self.session.run([ACTION_NAME], {OBS_NAME: np.asarray(obs, dtype=np.float32).reshape(-1, self.info.obs_dim)})
        return np.asarray(out, dtype=np.float64)


def teacher_policy(runner: TeacherRunner, env: Any, *, base_every: int = 1) -> Callable[[np.ndarray], np.ndarray]:
    """obs -> the network's env action of an exported teacher on ``env`` (a WalkVecEnv with its
    layout). A residual teacher's reflex controller is installed as the env's base controller
    (recomputed every ``base_every`` env steps, for an env stepped faster than the base's rate). A
    teacher's assistance profile adds its exo command (timed by ``env.phase``) to the action, so the
    policy must be called with every env's observation."""
    from exo_sim.learning import assist_profile
    from exo_sim.learning.reflex import ReflexBase
    from exo_sim.learning.reflex_schedule import ReflexSchedule, reflex_theta

    info = runner.info
    schedule = None
    if info.reflex_schedule is None and info.reflex_params is None:
        env.set_base_controller(None)
    else:
        data = {"schedule": info.reflex_schedule} if info.reflex_schedule is not None else {"params": info.reflex_params}
        theta = reflex_theta(data, "teacher metadata")
        if isinstance(theta, ReflexSchedule) and theta.profiles is not None:
            schedule, theta = theta, theta.reflexes_only()  # its profiles are timed here, with the single-profile case
        base = ReflexBase(theta, env)
        env.set_base_controller(base if base_every == 1 else ReflexBase.hold(base, base_every))
    if schedule is not None:
        sl = env.obs_layout.slices()
        return lambda obs: runner(obs) + assist_profile.exo_action(
            env, schedule.profile(obs[:, sl["target_speed_mps"]][:, 0], obs[:, sl["slope_rad"]][:, 0]))
    if info.assist_profile is None:
        return runner
    profile = assist_profile.from_dict(info.assist_profile)
    return lambda obs: runner(obs) + assist_profile.exo_action(env, profile)


def export_reflex_teacher(reflex_path: str | Path, config_path: str | Path, out: str | Path, *,
                          command: str = "") -> Path:
    """A tuned reflex person (``reflex-tune``'s best.json or a ``reflex-schedule`` file, with its
    assistance profile if it has one) as a teacher ONNX: the network is zero, the reflexes run as
    the base controller, the stage is the env's exo mode in ``config_path`` (the tuning config)."""
    from exo_sim.env.walk import WalkVecEnv
    from exo_sim.learning import assist_profile
    from exo_sim.learning.evaluate import env_from_file
    from exo_sim.learning.reflex import to_dict
    from exo_sim.learning.reflex_schedule import ReflexSchedule, reflex_theta, single_profile

    data = json.loads(Path(reflex_path).read_text())
    env_cfg = env_from_file(str(config_path))
    theta = reflex_theta(data, str(reflex_path))  # validated; a vector gets every parameter named
    schedule = theta.to_json()["schedule"] if isinstance(theta, ReflexSchedule) else None
    params = None if isinstance(theta, ReflexSchedule) else to_dict(theta)
    single = single_profile(data, theta, env_cfg.exo_mode, f"{reflex_path} (env of {config_path})")
    profile = None if single is None else assist_profile.to_dict(single)
    env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
    obs_dim, act_dim = env.obs_layout.size, env.act_layout.size
    env.close()
    zero = torch.nn.Linear(obs_dim, act_dim)
    torch.nn.init.zeros_(zero.weight)
    torch.nn.init.zeros_(zero.bias)
    tuned = ", ".join(f"{k} {data[k]}" for k in ("command", "config", "commit", "generation", "cost") if k in data)
    provenance = f"{command or f'export-reflex {reflex_path}'} [reflex file {reflex_path}: {tuned or 'no provenance recorded'}]"
    export_teacher(zero, out, env_cfg, obs_dim, act_dim, stage=env_cfg.exo_mode, training_command=provenance,
                   reflex_params=params, reflex_schedule=schedule, assist_profile=profile)
    return Path(out)
