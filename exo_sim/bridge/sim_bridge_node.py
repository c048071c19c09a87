"""Sim bridge node: the simulated person wearing the exo, behind the same topics as the device.

Each sensor period (``sensor_rate_hz``, default 160 Hz = 4 physics steps of the teacher's
1/640 s timestep) the bridge applies the latest /exo/torque_command to the exo motors, steps
the MuJoCo body, and publishes the thigh and pelvis IMUs and the hip joint states exactly as the
hardware drivers do (same topics, frames, units, noise model). The person's muscles are driven
by the teacher (an exported ONNX actor, its muscle drive held at its own 40 Hz rate, on
privileged observations); with ``teacher_path: passive`` the muscles get no drive (for plumbing
tests: the body falls). The teacher's own exo torque, evaluated every sensor period as in
distillation, is the reference the applied torque is compared with: it is evaluated for the state
each step starts from and published on /sim/teacher_torque as soon as that state exists (the
teacher relay requests it from the policy's seat). ``torque_source: teacher`` applies it instead
of the commands (the reference walk of a closed-loop evaluation), and ``torque_source: unpowered``
applies none (the person wearing the exo with its motors off). When the person falls, the bridge
starts a new episode (``reset_on_fall``), publishes the new episode's sensors for that period, and
sends /exo/policy/reset so the policy's history does not span the jump.

The summary also gives the person's effort while walking, as the assisted vs no-exo comparison
measures it (exo_sim.metrics): mean muscle activation and mean positive biological joint power
(W/kg), and both per metre walked, over the trial less the first ``settle_s`` of each episode and
the last ``settle_s`` before each fall.

Under ROS 2 the bridge is the clock source: it steps on wall time and publishes /clock
(``publish_clock``); message stamps are always the simulation's time.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from exo_control.runtime.node import ExoNode, NodeHandle
from exo_interfaces import contract as c
from exo_interfaces import messages as m
from exo_interfaces.params import check_fields, param
from exo_sim import metrics
from exo_sim.env.config import EnvConfig
from exo_sim.metrics import torque_agreement
from exo_sim.models.config import BodyConfig, BodyName

log = logging.getLogger(__name__)

#: The teacher shipped with the package (package data: a copy of the file of the same name in
#: artifacts/teacher/, where its provenance and evaluations are; test/test_artifacts.py keeps them equal).
DEFAULT_TEACHER = Path(__file__).with_name("teachers") / "teacher_reflex_stage2_thigh_assist.onnx"


@dataclass(frozen=True, kw_only=True)
class SimBridgeConfig:
    """Parameters of the sim bridge (section ``sim_bridge``)."""

    teacher_path: str = param("", "Teacher ONNX file; '' = the packaged teacher; 'passive' = no muscle drive.")
    passive_body: BodyName = param("myolegs26", "Body simulated when teacher_path is 'passive'.")
    speed_mps: float = param(1.2, "Commanded walking speed (m/s).", ge=0.6, le=1.8)
    slope_deg: float = param(0.0, "Ground slope (deg, positive uphill).", ge=-10.0, le=10.0)
    sensor_rate_hz: float = param(160.0, "Sensor publish and torque update rate (Hz).", ge=40.0, le=400.0)
    seed: int = param(0, "Seed of the episode (initial state, sensor noise).", ge=0)
    reset_on_fall: bool = param(True, "Start a new episode when the person falls.")
    publish_clock: bool = param(False, "Publish /clock (ROS 2: the bridge is the sim clock source).")
    summary_path: str = param("", "Write a JSON trial summary here at shutdown ('' = none).")
    torque_source: Literal["command", "teacher", "unpowered"] = param(
        "command", "What drives the simulated exo motors: 'command', the torque commands received (the loop under "
        "test); 'teacher', the teacher's own exo output with commands ignored (the reference walk a closed-loop "
        "evaluation compares with); 'unpowered', no torque, commands ignored (the exo worn with its motors off). "
        "The last two drive the simulated motors only; no hardware path has them."
    )
    settle_s: float = param(2.0, "Time after each start or fall-reset, and before each fall, left out of the "
                            "summary's effort means (s).", ge=0.0, le=60.0)

    def __post_init__(self) -> None:
        check_fields(self)
        if self.torque_source == "teacher" and self.teacher_path == "passive":
            raise ValueError("sim_bridge.torque_source 'teacher' needs a teacher; teacher_path is 'passive'")


def bridge_env_config(trained: EnvConfig, sensor_rate_hz: float) -> tuple[EnvConfig, int]:
    """The env the bridge steps: the teacher's physics timestep, one env step per sensor period.

    Returns the config and the decimation (sensor periods per teacher action).
    """
    physics_hz = trained.policy_hz * trained.substeps
    substeps = physics_hz / sensor_rate_hz
    decimation = sensor_rate_hz / trained.policy_hz
    if abs(substeps - round(substeps)) > 1e-9 or abs(decimation - round(decimation)) > 1e-9:
        raise ValueError(
            f"sim_bridge.sensor_rate_hz {sensor_rate_hz:g} must divide the physics rate {physics_hz:g} Hz and be a "
            f"multiple of the teacher rate {trained.policy_hz:g} Hz (e.g. {trained.policy_hz * 4:g})"
        )
    cfg = dataclasses.replace(trained, policy_hz=sensor_rate_hz, substeps=int(round(substeps)), exo_mode="assist",
                              episode_s=600.0, base_hz=0.0)
    return cfg, int(round(decimation))


def base_every(trained: EnvConfig, sensor_rate_hz: float) -> int:
    """Bridge env steps per update of the teacher's base controller (its rate in training)."""
    base_hz = trained.base_hz or trained.policy_hz
    every = sensor_rate_hz / base_hz
    if abs(every - round(every)) > 1e-9 or every < 1:
        raise ValueError(f"sim_bridge.sensor_rate_hz {sensor_rate_hz:g} must be a multiple of the teacher's "
                         f"reflex rate {base_hz:g} Hz")
    return int(round(every))


class EffortMeans:
    """Running means of the walking person's effort: the first ``settle_s`` of each episode, and the
    last ``settle_s`` before a fall, are left out (getting going and going down are not walking).

    Per sensor period: mean muscle activation, summed positive biological joint power (W/kg) and the
    COM's forward travel; the per-metre figures divide the means by the mean speed over the counted time.
    """

    def __init__(self, mass_kg: float, settle_s: float, dt_s: float):
        self.mass_kg, self.settle_steps, self.dt_s = mass_kg, int(round(settle_s / dt_s)), dt_s
        self._totals = np.zeros(4)  # samples, activation, power, distance: committed
        self._recent: deque[np.ndarray] = deque()  # the last settle_s of counted samples, dropped on a fall
        self._episode_steps = 0
        self._last_x: float | None = None

    def add(self, signals: dict[str, np.ndarray], *, fell: bool) -> None:
        """One sensor period's gait signals (WalkVecEnv.gait_signals, one env); ``fell`` ends the episode."""
        self._episode_steps += 1
        x = float(signals["com_x_m"])
        if fell:
            self._recent.clear()
            self._episode_steps, self._last_x = 0, None
            return
        if self._episode_steps > self.settle_steps:
            power = metrics.positive_power_per_kg(signals["moment_bio_nm"][None], signals["omega_rps"][None], self.mass_kg)
            dx = 0.0 if self._last_x is None else x - self._last_x
            self._recent.append(np.array([1.0, metrics.mean_activation(signals["activation"]), power, dx]))
            if len(self._recent) > self.settle_steps:
                self._totals += self._recent.popleft()
        self._last_x = x

    def summary(self) -> dict[str, float]:
        """Means so far; the samples still held back count, since the trial ended without a fall."""
        steps, activation, power, distance = self._totals + sum(self._recent, np.zeros(4))
        time_s = steps * self.dt_s
        if not steps:
            return {"time_s": 0.0, "distance_m": 0.0}
        activation, power = activation / steps, power / steps
        speed = distance / time_s
        per_m = speed > 0.05  # a person standing still has no cost per metre
        return {"time_s": time_s, "distance_m": distance, "speed_mps": speed, "mean_activation": activation,
                "mean_positive_power_w_per_kg": power,
                "activation_s_per_m": activation / speed if per_m else float("nan"),
                "positive_work_j_per_kg_m": power / speed if per_m else float("nan")}


class SimBridgeNode(ExoNode):
    NAME = "sim_bridge"
    CONFIG = SimBridgeConfig
    SHUTDOWN_ORDER = 10

    def __init__(self, handle: NodeHandle, config: SimBridgeConfig):
        super().__init__(handle, config)
        from exo_sim.env.walk import WalkVecEnv
        from exo_sim.learning.teacher_export import TeacherRunner, teacher_policy

        self.teacher: TeacherRunner | None = None
        if config.teacher_path == "passive":
            trained = EnvConfig(body=BodyConfig(name=config.passive_body))
        else:
            path = Path(config.teacher_path) if config.teacher_path else DEFAULT_TEACHER
            self.teacher = TeacherRunner(path)
            trained = self.teacher.info.env
        env_cfg, self.decimation = bridge_env_config(trained, config.sensor_rate_hz)
        self.env = WalkVecEnv(env_cfg, 1, nthread=1, autoreset=False)
        self.env_cfg = env_cfg
        self._act = None if self.teacher is None else teacher_policy(
            self.teacher, self.env, base_every=base_every(trained, config.sensor_rate_hz))
        self._exo_limit = env_cfg.exo.torque_limit_nm
        self._a_exo = self.env.exo_action_slice
        self._period_ns = round(1e9 / config.sensor_rate_hz)
        self._options = {"speed_mps": config.speed_mps, "slope_deg": config.slope_deg}
        self._obs, info = self.env.reset(seed=config.seed, options=self._options)
        self._held = np.zeros(self.env.single_action_space.shape, dtype=np.float64)  # teacher's action, left/right
        self._teacher_nm = np.zeros(2)
        self._action = self._held
        self._applied_log: list[np.ndarray] = []  # (applied command, teacher's own exo torque) per step
        self._teacher_log: list[np.ndarray] = []
        self._age_log: list[int] = []  # steps since the episode started, per logged step
        self._episode_steps = 0
        self._torque_cmd = np.zeros(2)
        self.steps = 0
        self.sim_ns = 0
        self.falls = 0
        self.fall_times_s: list[float] = []  # sim time of each fall, for first-fall survival
        self._episode_start_x = self._pelvis_x()
        self._distance_m = 0.0
        self._effort = EffortMeans(self.env.sim.total_mass_kg, config.settle_s, 1.0 / config.sensor_rate_hz)
        self._pubs = {t.name: handle.create_publisher(t) for t in (c.IMU_PELVIS, c.IMU_LEFT_THIGH, c.IMU_RIGHT_THIGH, c.JOINT_STATES)}
        self._diag = handle.create_publisher(c.DIAGNOSTICS)
        self._policy_reset = handle.create_publisher(c.POLICY_RESET)
        self._teacher_pub = handle.create_publisher(c.SIM_TEACHER_TORQUE)
        self._clock = handle.create_publisher(c.CLOCK) if config.publish_clock else None
        handle.create_subscription(c.TORQUE_COMMAND, self._on_command)
        handle.create_timer(1.0 / config.sensor_rate_hz, self._step)
        self._publish_sensors(info["device"][0])
        self._evaluate_teacher()
        who = "passive muscles" if self.teacher is None else f"teacher {self.teacher.info.stage}"
        self.log.info(f"{env_cfg.body.name} at {config.speed_mps} m/s, {config.slope_deg} deg, {who}")

    def _pelvis_x(self) -> float:
        return float(self.env.physics.qpos[0, 0])

    def _on_command(self, msg: Any) -> None:
        try:
            torque = m.joint_efforts(msg)
        except ValueError as exc:
            self.log.error(f"ignoring torque command: {exc}")
            torque = np.zeros(2)
        if not np.all(np.isfinite(torque)):
            self.log.error(f"non-finite torque command {torque.tolist()}: applying zero")
            torque = np.zeros(2)
        self._torque_cmd = np.clip(torque, -self._exo_limit, self._exo_limit)

    def _evaluate_teacher(self) -> None:
        """The teacher on the state the next step starts from: its action, and its exo torque (what it
        would apply, every sensor period as distillation labels it: the reference the student's torque
        is compared with), published on /sim/teacher_torque."""
        if self._act is None:
            return
        self._action = self.env.to_physical(self._act(self._obs))[0]
        self._teacher_nm = np.clip(self._action[self._a_exo], -1.0, 1.0) * self._exo_limit
        self._teacher_pub.publish(m.joint_state_msg(self.sim_ns, effort_nm=self._teacher_nm))

    def _step(self) -> None:
        env = self.env
        if self._act is not None and self.steps % self.decimation == 0:
            # The muscle drive is held for a teacher period, in left/right terms, as the training
            # env holds a policy action across its reflex ticks (the mirrored frame may switch).
            self._held = self._action
        physical = self._held.copy()
        source = self.config.torque_source
        applied = self._teacher_nm if source == "teacher" else self._torque_cmd if source == "command" else np.zeros(2)
        physical[self._a_exo] = applied / self._exo_limit
        if self._act is not None:
            self._applied_log.append(applied.copy())
            self._teacher_log.append(self._teacher_nm.copy())
            self._age_log.append(self._episode_steps)
        self._episode_steps += 1
        self._obs, _rew, fell, _trunc, info = env.step(env.to_physical(physical[None]))  # in the current frame
        self.steps += 1
        self.sim_ns += self._period_ns
        self._effort.add({k: v[0] for k, v in env.gait_signals().items()}, fell=bool(fell[0]))
        if fell[0]:
            info = self._on_fall(info)
        self._publish_sensors(info["device"][0])
        self._evaluate_teacher()

    def _on_fall(self, info: dict[str, Any]) -> dict[str, Any]:
        """Count the fall; with reset_on_fall, start a new episode and tell the policy its history
        ends here. Returns the info whose sensors this period publishes (the new episode's)."""
        self.falls += 1
        self.fall_times_s.append(self.sim_ns / 1e9)
        self._distance_m += self._pelvis_x() - self._episode_start_x
        self.log.warning(f"the simulated person fell at t={self.sim_ns / 1e9:.2f} s (fall {self.falls})")
        status = m.diagnostic_status(f"{self.handle.name}: person", m.DIAG_WARN, "fell", {"falls": str(self.falls)})
        self._diag.publish(m.diagnostic_array(self.sim_ns, [status]))
        if self.config.reset_on_fall:
            self._obs, info = self.env.reset(seed=self.config.seed + self.falls, options=self._options)
            self._episode_start_x = self._pelvis_x()
            self._episode_steps = 0
            self._policy_reset.publish(m.Bool(data=True))
        return info

    def _publish_sensors(self, device: np.ndarray) -> None:
        t = self.sim_ns
        frames = (c.FRAME_PELVIS, c.FRAME_LEFT_THIGH, c.FRAME_RIGHT_THIGH)
        topics = (c.IMU_PELVIS, c.IMU_LEFT_THIGH, c.IMU_RIGHT_THIGH)
        for i, (topic, frame) in enumerate(zip(topics, frames)):
            self._pubs[topic.name].publish(m.imu_msg(t, frame, device[6 * i: 6 * i + 3], device[6 * i + 3: 6 * i + 6]))
        measured = self.env.physics.sensordata[0, self.env.cols.exo_torque]
        self._pubs[c.JOINT_STATES.name].publish(
            m.joint_state_msg(t, position_rad=device[18:20], velocity_rps=device[20:22], effort_nm=measured)
        )
        if self._clock is not None:
            self._clock.publish(m.Clock(clock=m.stamp(t)))

    def summary(self) -> dict[str, Any]:
        distance = self._distance_m + self._pelvis_x() - self._episode_start_x
        duration = self.sim_ns / 1e9
        agreement: dict[str, float] = {}
        by_part: dict[str, dict[str, float]] = {}
        if self._applied_log:
            applied, teacher = np.array(self._applied_log), np.array(self._teacher_log)
            agreement = torque_agreement(applied, teacher, self.env.sim.total_mass_kg)
            # Split at settle_s after each (re)start: the policy's first guesses on a short history, and
            # the walk after them (a fall-laden run is mostly starts).
            start = np.array(self._age_log) < round(self.config.settle_s * self.config.sensor_rate_hz)
            by_part = {name: torque_agreement(applied[part], teacher[part], self.env.sim.total_mass_kg) if part.any() else {}
                       for name, part in (("starts", start), ("after_starts", ~start))}
        return {
            "body": self.env_cfg.body.name,
            "teacher": "passive" if self.teacher is None else self.teacher.info.stage,
            "speed_mps": self.config.speed_mps,
            "slope_deg": self.config.slope_deg,
            "sim_time_s": duration,
            "torque_source": self.config.torque_source,
            "falls": self.falls,
            "fall_times_s": list(self.fall_times_s),
            "distance_m": distance,
            "mean_speed_mps": distance / duration if duration > 0 else 0.0,
            "applied_vs_teacher_torque": agreement,
            # The same over each episode's first settle_s, and over the rest.
            "applied_vs_teacher_torque_starts": by_part.get("starts", {}),
            "applied_vs_teacher_torque_after_starts": by_part.get("after_starts", {}),
            "effort": self._effort.summary(),
        }

    def shutdown(self) -> None:
        self._torque_cmd = np.zeros(2)
        if self.config.summary_path:
            path = Path(self.config.summary_path)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(self.summary(), indent=2))
        self.env.close()


def main() -> int:
    from exo_control.runtime.rclpy_backend import main_for

    return main_for(SimBridgeNode)()
