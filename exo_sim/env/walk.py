"""Batched walking env: N bodies wearing the exo, stepped together, all per-step work vectorised.

Per policy step: action -> muscle excitations (synergies + residual) and exo torques -> physics
(``BatchPhysics.step``, the one physics call) -> observation, reward terms, termination, device
sensor read-out, all as (N, ...) numpy ops. Envs that end are reset in the same step
(``info["final_obs"]`` holds their last observation) unless ``autoreset=False``.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from typing import Any

import gymnasium as gym
import mujoco
import numpy as np
from gymnasium.vector import AutoresetMode, VectorEnv

from exo_sim.env.config import EnvConfig
from exo_sim.env.device_sensors import NAMES as DEVICE_NAMES
from exo_sim.env.device_sensors import DeviceSensors, device_columns
from exo_sim.env.observations import (
    GRF_Z,
    SensorColumns,
    action_layout,
    observation_layout,
    pelvis_pitch_rad,
    pelvis_roll_rad,
    pelvis_yaw_rad,
)
from exo_sim.env.physics import Backend, BatchPhysics
from exo_sim.env.rewards import StepContext, compute_reward
from exo_sim.env.start_pose import StartPose
from exo_sim.env.synergy import synergy_matrix
from exo_sim.env.thigh_phase import ThighPhase, start_values
from exo_sim.models.build import SimModel, build_model
from exo_sim.models.exo import HIP_JOINTS

logger = logging.getLogger(__name__)

#: A stride longer or shorter than this (s) is not used to update the gait-phase clock.
_STRIDE_S = (0.4, 2.5)
#: Device read-out columns of the left/right hip angle.
_HIP_POS = np.array([DEVICE_NAMES.index(f"{joint}_pos") for joint in HIP_JOINTS])


class WalkVecEnv(VectorEnv):
    """N walking envs in one process; physics runs on ``nthread`` threads."""

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP}

    def __init__(self, cfg: EnvConfig | None = None, num_envs: int = 1, *, backend: Backend = "threads",
                 nthread: int = 0, autoreset: bool = True, sim: SimModel | None = None) -> None:
        self.cfg = cfg = cfg or EnvConfig()
        self.sim = sim or build_model(cfg.body, cfg.exo, timestep_s=cfg.timestep_s)
        if abs(self.sim.model.opt.timestep - cfg.timestep_s) > 1e-12:
            raise ValueError(f"sim timestep {self.sim.model.opt.timestep} differs from the env's {cfg.timestep_s}")
        self.num_envs = num_envs
        self.autoreset = autoreset
        ix = self.sim.index
        self.index = ix
        self.cols = SensorColumns.from_index(ix)
        self.physics = BatchPhysics(
            [copy.copy(self.sim.model) for _ in range(num_envs)], cfg.substeps, backend=backend, nthread=nthread
        )
        self._g = float(np.linalg.norm(self.sim.model.opt.gravity))
        self.body_weight_n = self.sim.total_mass_kg * self._g
        k = cfg.action.synergies_per_leg
        self.synergy = synergy_matrix(ix.muscles, k)  # (n_muscles, 2k)
        self.obs_layout = observation_layout(ix)
        self.act_layout = action_layout(ix, k, cfg.action.residual)
        self._obs_mirror = self.obs_layout.mirror_map()
        self._act_mirror = self.act_layout.mirror_map()
        sl = self.act_layout.slices()
        self._a_syn, self._a_exo = sl["synergy"], sl["exo"]
        self._a_res = sl.get("residual")
        low = np.concatenate([np.zeros(2 * k), -np.ones(self.act_layout.size - 2 * k)]).astype(np.float32)
        self.single_action_space: gym.spaces.Box = gym.spaces.Box(low, np.ones_like(low), dtype=np.float32)
        self.single_observation_space: gym.spaces.Box = gym.spaces.Box(-np.inf, np.inf, (self.obs_layout.size,), np.float32)
        self.action_space = gym.vector.utils.batch_space(self.single_action_space, num_envs)
        self.observation_space = gym.vector.utils.batch_space(self.single_observation_space, num_envs)
        self._low = low.astype(float)
        self._exo_gain = 0.0 if cfg.exo_mode == "no_exo" else cfg.exo.torque_limit_nm
        self._dev_cols = device_columns(ix)
        self._hip_cols = self._dev_cols[_HIP_POS]  # sensordata columns of the left/right hip angle
        self._start = StartPose(cfg.start, self.sim.model, ix)
        self.base: Callable[[np.ndarray], np.ndarray] | None = None
        self._pelvis_body = self.sim.model.body("pelvis").id
        self._hip_joint_ids = [self.sim.model.joint(j).id for j in HIP_JOINTS]
        self.trunk_support: tuple[float, float] = (0.0, 0.0)
        self.frontal_support: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
        self._com_y0 = np.zeros(num_envs)  # lateral position of the centre of mass at reset (frontal support's line)
        self.device = DeviceSensors(cfg.sensors, num_envs, cfg.policy_hz)
        n, nm = num_envs, len(ix.muscles)
        self.target_speed = np.zeros(n)
        self.slope_rad = np.zeros(n)  # the ground's slope now (what the observation carries)
        self.slope_goal_rad = np.zeros(n)  # the episode's slope
        self.slope_approach: tuple[float, float] = (0.0, 0.0)
        self.steps = np.zeros(n, dtype=int)
        self.time_s = np.zeros(n)
        self.excitation = np.zeros((n, nm))
        self.exo_torque_cmd = np.zeros((n, 2))
        self.prev_exo_torque = np.zeros((n, 2))
        self.phase = np.zeros(n)
        self._last_hs = np.full(n, np.nan)
        self._stride_s = np.full(n, 1.1)
        self._contact_r = np.zeros(n, dtype=bool)
        self.thigh = ThighPhase(n, max_rate_hz=cfg.thigh_phase_max_rate_hz)
        self._ctrl = np.zeros((n, self.sim.model.nu))
        self._rngs = [np.random.default_rng(i) for i in range(n)]
        self._noise_rng = np.random.default_rng(n)

    # ----------------------------------------------------------------- reset
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[np.ndarray, dict[str, Any]]:
        """Reset every env; a seed makes the whole batch's future reproducible."""
        if seed is not None:
            seqs = np.random.SeedSequence(seed).spawn(self.num_envs + 1)
            self._rngs = [np.random.default_rng(s) for s in seqs[:-1]]
            self._noise_rng = np.random.default_rng(seqs[-1])
        for i in range(self.num_envs):
            self._reset_env(i, options)
        return self._observe().astype(np.float32), {"device": self._read_device()}

    def _reset_env(self, i: int, options: dict[str, Any] | None = None) -> None:
        """Options: ``speed_mps``, ``slope_deg`` (else drawn from cfg.conditions) and ``start_seed``
        (seeds the start-pose draw alone, e.g. the same start for every env of a batch)."""
        cfg, rng = self.cfg, self._rngs[i]
        options = options or {}
        speed = options.get("speed_mps", rng.uniform(*cfg.conditions.speed_range_mps))
        slope = np.deg2rad(options.get("slope_deg", rng.uniform(*cfg.conditions.slope_range_deg)))
        model, data = self.physics.models[i], self.physics.datas[i]
        self.slope_goal_rad[i] = slope
        if any(self.slope_approach):
            slope = 0.0  # level ground first (set_slope_approach)
        self._set_slope(i, slope)
        mujoco.mj_resetData(model, data)
        ix = self.index
        data.qpos[ix.bio_qpos] += rng.uniform(-1.0, 1.0, len(ix.bio_qpos)) * cfg.init_joint_noise_rad
        data.qvel[0] = cfg.init_speed_fraction * speed  # root's first dof is forward (+x) translation
        start_seed = options.get("start_seed")
        self._start.apply(model, data, rng if start_seed is None else np.random.default_rng(start_seed), slope)
        mujoco.mj_forward(model, data)
        self.physics.sync_from_data(i)
        self._com_y0[i] = self.physics.sensordata[i, self.cols.com_pos][1]
        self.target_speed[i] = speed
        self.steps[i] = 0
        self.time_s[i] = 0.0
        self.excitation[i] = 0.0
        self.exo_torque_cmd[i] = 0.0
        self.prev_exo_torque[i] = 0.0
        self.phase[i] = 0.0
        self._last_hs[i] = np.nan
        self._stride_s[i] = 1.1
        self._contact_r[i] = False
        self.thigh.reset(i, start_values(cfg.thigh_phase_start, speed))
        self._update_thigh_phase(0.0)  # the phase of the start pose; dt 0 leaves the running means
        self.device.reset(i, self.physics.sensordata[i, self._dev_cols], rng)

    # ------------------------------------------------------------------ step
    def set_base_controller(self, base: Callable[[np.ndarray], np.ndarray] | None) -> None:
        """Install a base controller (the spinal reflex layer): obs (N, obs) -> action (N, A), called
        ``cfg.base_ticks`` times per policy step on the current observation; its action is added to
        the policy's held action (each in the mirrored frame of its own observation) before clipping.
        ``None`` removes it."""
        self.base = base

    def set_trunk_support(self, stiffness_nm_per_rad: float, damping_nm_s_per_rad: float = 0.0) -> None:
        """A training aid for continuation (not part of the person): an external pitch moment on the
        pelvis, -(stiffness x lean + damping x lean rate), lean measured as the observation's pelvis
        pitch (forward positive, ground frame), updated at the base-controller rate. A controller
        tuned with support is then tuned again as the support is lowered to zero; evaluations run
        without it. (0, 0) removes it."""
        for name, v in (("stiffness_nm_per_rad", stiffness_nm_per_rad), ("damping_nm_s_per_rad", damping_nm_s_per_rad)):
            if not (np.isfinite(v) and v >= 0.0):
                raise ValueError(f"trunk support {name}: {v!r} must be finite and >= 0")
        if (stiffness_nm_per_rad or damping_nm_s_per_rad) and self.physics.backend != "threads":
            raise ValueError("trunk support: external wrenches need the 'threads' backend; 'rollout' steps controls only")
        self.trunk_support = (float(stiffness_nm_per_rad), float(damping_nm_s_per_rad))
        if not any(self.trunk_support):
            self.physics.xfrc_applied[:, self._pelvis_body, 3:] = 0.0

    @property
    def hip_extension_limit_deg(self) -> float:
        """Each hip's extension limit as the physics has it now, deg of extension (positive)."""
        return float(-np.degrees(self.physics.models[0].jnt_range[self._hip_joint_ids[0], 0]))

    def set_hip_extension_limit_deg(self, limit_deg: float) -> None:
        """Move both hips' extension limit in every env's model (BodyConfig.hip_extension_limit_deg at run
        time, for continuation from the body's own limit: tuned gaits rest on it, stop 40). Muscle
        lengths and their operating ranges do not depend on it."""
        if not (np.isfinite(limit_deg) and 5.0 <= limit_deg <= 40.0):
            raise ValueError(f"hip extension limit: {limit_deg!r} deg is out of range; allowed [5, 40]")
        for model in self.physics.models:
            model.jnt_range[self._hip_joint_ids, 0] = -np.radians(limit_deg)

    def hip_extension_limit_moment_nm(self) -> np.ndarray:
        """(N, 2) flexion moment the extension limit puts on each hip (left, right) in the last physics
        step, Nm (>= 0; 0 off the limit): what the joint's stop, not a muscle, holds."""
        if self.physics.backend != "threads":
            raise ValueError("hip extension limit moment: needs the 'threads' backend (per-env MjData)")
        out = np.zeros((self.num_envs, 2))
        hips = self._hip_joint_ids
        for i, d in enumerate(self.physics.datas):
            rows = np.flatnonzero((d.efc_type == mujoco.mjtConstraint.mjCNSTR_LIMIT_JOINT) & np.isin(d.efc_id, hips))
            for row in rows:
                j = int(d.efc_id[row])
                if d.qpos[self.physics.models[i].jnt_qposadr[j]] < 0.0:  # the extension side's stop (row Jacobian +1)
                    out[i, hips.index(j)] = d.efc_force[row]
        return out

    def set_frontal_support(self, turn_nm_per_rad: float, turn_nm_s_per_rad: float, lateral_n_per_m: float,
                            lateral_n_s_per_m: float) -> None:
        """The 3D body's training aid for continuation, like :meth:`set_trunk_support` out of the
        sagittal plane (not part of the person): moments on the pelvis against its roll and yaw
        (stiffness x angle + damping x rate, each axis of the ground frame) and a lateral force against
        the centre of mass leaving the line it started on and its lateral velocity, updated at
        the base-controller rate. A sagittal controller walks in 3D under full support, and is tuned
        again as the support is lowered to zero. Zeros remove it."""
        values = {"turn_nm_per_rad": turn_nm_per_rad, "turn_nm_s_per_rad": turn_nm_s_per_rad,
                  "lateral_n_per_m": lateral_n_per_m, "lateral_n_s_per_m": lateral_n_s_per_m}
        for name, v in values.items():
            if not (np.isfinite(v) and v >= 0.0):
                raise ValueError(f"frontal support {name}: {v!r} must be finite and >= 0")
        support = tuple(float(v) for v in values.values())
        if any(support) and self.sim.body.sagittal:
            raise ValueError(f"frontal support: the {self.sim.body.name!r} body cannot roll, yaw or move sideways")
        if any(support) and self.physics.backend != "threads":
            raise ValueError("frontal support: external wrenches need the 'threads' backend; 'rollout' steps controls only")
        self.frontal_support = support  # type: ignore[assignment]
        if not any(support):
            self.physics.xfrc_applied[:, self._pelvis_body, [1, 3, 5]] = 0.0

    def _apply_frontal_support(self) -> None:
        kp, kd, kl, cl = self.frontal_support
        sens, c, f = self.physics.sensordata, self.cols, self.physics.xfrc_applied
        quat, rate = sens[:, c.pelvis_quat], sens[:, c.pelvis_angvel]
        f[:, self._pelvis_body, 3] = -(kp * pelvis_roll_rad(quat) + kd * rate[:, 0])
        f[:, self._pelvis_body, 5] = -(kp * pelvis_yaw_rad(quat) + kd * rate[:, 2])
        f[:, self._pelvis_body, 1] = -(kl * (sens[:, c.com_pos][:, 1] - self._com_y0) + cl * sens[:, c.com_vel][:, 1])

    def frontal_support_load(self) -> np.ndarray:
        """How much each env leans on the frontal support at its last update (dimensionless, 0 without
        it): the roll and yaw moments over body weight x 1 m plus the lateral force over body weight."""
        if not any(self.frontal_support):
            return np.zeros(self.num_envs)
        f = self.physics.xfrc_applied[:, self._pelvis_body]
        return (np.abs(f[:, 3]) + np.abs(f[:, 5]) + np.abs(f[:, 1])) / self.body_weight_n

    def set_slope_approach(self, level_s: float, ramp_s: float) -> None:
        """A training aid for slopes (as a person walks onto a ramp): each episode starts on level
        ground, walks ``level_s``, then the ground tilts to the episode's slope over ``ramp_s``. The
        observation's slope follows the ground. Takes effect at the next reset; (0, 0) = on the slope
        from the start, as evaluated."""
        for name, v in (("level_s", level_s), ("ramp_s", ramp_s)):
            if not (np.isfinite(v) and 0.0 <= v <= 600.0):
                raise ValueError(f"slope approach {name}: {v!r} must be finite and in [0, 600] s")
        self.slope_approach = (float(level_s), float(ramp_s))

    def _set_slope(self, i: int, slope_rad: float) -> None:
        # Uphill (+slope) in +x: gravity gets a backward component in the ground frame.
        self.physics.models[i].opt.gravity[:] = (-self._g * np.sin(slope_rad), 0.0, -self._g * np.cos(slope_rad))
        self.slope_rad[i] = slope_rad

    def _approach_slopes(self) -> None:
        level_s, ramp_s = self.slope_approach
        f = np.clip((self.time_s - level_s) / ramp_s, 0.0, 1.0) if ramp_s > 0 else (self.time_s >= level_s).astype(float)
        for i in np.flatnonzero(self.slope_rad != f * self.slope_goal_rad):
            self._set_slope(int(i), float(f[i] * self.slope_goal_rad[i]))

    def _apply_trunk_support(self) -> None:
        kp, kd = self.trunk_support
        sens, c = self.physics.sensordata, self.cols
        lean = pelvis_pitch_rad(sens[:, c.pelvis_quat])  # about +y, the moment's axis
        self.physics.xfrc_applied[:, self._pelvis_body, 4] = -(kp * lean + kd * sens[:, c.pelvis_angvel][:, 1])

    def step(self, actions: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, Any]]:
        """Apply (N, A) actions for one policy period (plus the base controller's, if installed)."""
        a_policy = np.asarray(actions, dtype=float).reshape(self.num_envs, -1)
        if self.base is None:
            a_policy = np.clip(a_policy, self._low, 1.0)
        a_policy = self.to_physical(a_policy)  # held in left/right terms: the frame may change between base ticks
        ticks = self.cfg.base_ticks
        for _ in range(ticks):
            if self.base is None:
                a = a_policy
            else:
                base = np.asarray(self.base(self._observe().astype(np.float32)), dtype=float).reshape(self.num_envs, -1)
                a = np.clip(a_policy + self.to_physical(base), self._low, 1.0)
            exc = a[:, self._a_syn] @ self.synergy.T
            if self._a_res is not None:
                exc += self.cfg.action.residual_scale * a[:, self._a_res]
            np.clip(exc, 0.0, 1.0, out=exc)
            self.excitation[:] = exc
            self.exo_torque_cmd[:] = a[:, self._a_exo] * self._exo_gain
            self._ctrl[:, self.index.muscle_ctrl] = exc
            self._ctrl[:, self.index.motor_ctrl] = self.exo_torque_cmd
            if any(self.trunk_support):
                self._apply_trunk_support()
            if any(self.frontal_support):
                self._apply_frontal_support()
            if any(self.slope_approach):
                self._approach_slopes()
            self.physics.step(self._ctrl, self.cfg.substeps // ticks)
            self.time_s += self.cfg.policy_dt_s / ticks
            self._update_phase(-self.physics.sensordata[:, self.cols.grf][:, GRF_Z[1]] / self.body_weight_n)
            self._update_thigh_phase(self.cfg.policy_dt_s / ticks)
        self.steps += 1

        sens = self.physics.sensordata
        c = self.cols
        exo_tau = sens[:, c.exo_torque]
        com_h = sens[:, c.com_pos][:, 2] - sens[:, c.heel_z].min(axis=1)
        finite = np.asarray(np.isfinite(self.physics.qvel).all(axis=1) & np.isfinite(sens).all(axis=1))
        fell: np.ndarray = (com_h < self.cfg.fall_height_m) | ~finite
        truncated: np.ndarray = (self.steps >= self.cfg.max_steps) & ~fell
        ctx = StepContext(
            com_vel_mps=sens[:, c.com_vel], target_speed_mps=self.target_speed, head_angvel_rps=sens[:, c.head_angvel],
            activation=self.physics.act, exo_torque_nm=exo_tau, prev_exo_torque_nm=self.prev_exo_torque,
            joint_limit_nm=sens[:, c.joint_limitfrc], body_weight_n=self.body_weight_n, fell=fell,
        )
        reward, terms = compute_reward(ctx, self.cfg.reward)
        reward = np.nan_to_num(reward, nan=self.cfg.reward.fall_penalty)
        self.prev_exo_torque[:] = exo_tau
        obs = self._observe()
        info: dict[str, Any] = {"terms": terms, "device": self._read_device()}
        done: np.ndarray = fell | truncated
        if self.autoreset and done.any():
            info["final_obs"] = obs.astype(np.float32)
            info["done"] = done
            for i in np.flatnonzero(done):
                if not finite[i]:
                    logger.warning("env %d: non-finite physics state at step %d; reset", i, self.steps[i])
                self._reset_env(int(i))
            obs = self._observe()
        return obs.astype(np.float32), reward.astype(np.float32), fell, truncated, info

    def to_physical(self, a: np.ndarray) -> np.ndarray:
        """An action in the mirrored frame of the current observation -> left/right as they are.
        The map is its own inverse, so it also takes a left/right action into the current frame."""
        if not self.cfg.action.mirror:
            return a
        perm, sign = self._act_mirror
        return np.where((self.phase >= 0.5)[:, None], a[:, perm] * sign, a)

    def _update_phase(self, grf_r_per_bw: np.ndarray) -> None:
        """Gait phase in [0, 1) from right heel strikes (vertical GRF crossing the threshold). A
        crossing sooner than the shortest plausible stride after the last heel strike is contact
        chatter (the heel bouncing on landing), not a new stride: it leaves the clock alone."""
        contact = grf_r_per_bw > self.cfg.heel_strike_threshold
        stride = self.time_s - self._last_hs
        strike = contact & ~self._contact_r & ~(stride < _STRIDE_S[0])  # NaN (no strike yet) passes
        self._contact_r = contact
        ok = strike & (stride > _STRIDE_S[0]) & (stride < _STRIDE_S[1])
        self._stride_s = np.where(ok, stride, self._stride_s)
        self._last_hs = np.where(strike, self.time_s, self._last_hs)
        since = np.nan_to_num(self.time_s - self._last_hs, nan=0.0)
        self.phase = np.clip(since / self._stride_s, 0.0, 0.999)

    def _update_thigh_phase(self, dt_s: float) -> None:
        """Each leg's phase from its thigh (:mod:`exo_sim.env.thigh_phase`); the thigh's angle from
        vertical is hip flexion minus the pelvis's forward pitch."""
        sens = self.physics.sensordata
        angle = sens[:, self._hip_cols] - pelvis_pitch_rad(sens[:, self.cols.pelvis_quat])[:, None]
        self.thigh.update(angle, dt_s)

    def _read_device(self) -> np.ndarray:
        return self.device.read(self.physics.sensordata[:, self._dev_cols], self._noise_rng)

    def _observe(self) -> np.ndarray:
        p, c, sens = self.physics, self.cols, self.physics.sensordata
        ix = self.index
        f0 = ix.muscle_max_force_n
        parts = [
            sens[:, c.muscle_len], sens[:, c.muscle_vel], -sens[:, c.muscle_frc] / f0, p.act, self.excitation,
            sens[:, c.head_quat], sens[:, c.head_angvel], sens[:, c.pelvis_quat], sens[:, c.pelvis_angvel],
            sens[:, c.feet_rel], p.qpos[:, ix.bio_qpos], p.qvel[:, ix.bio_qvel],
            -sens[:, c.grf] / self.body_weight_n, sens[:, c.exo_torque] / self.cfg.reward.torque_norm_nm,
            sens[:, c.com_vel], self.target_speed[:, None], self.slope_rad[:, None],
            (sens[:, c.com_pos][:, 2] - sens[:, c.heel_z].min(axis=1))[:, None], self.phase[:, None],
        ]
        obs = np.concatenate(parts, axis=1)
        if self.cfg.action.mirror:
            perm, sign = self._obs_mirror
            obs = np.where((self.phase >= 0.5)[:, None], obs[:, perm] * sign, obs)
        return obs

    def gait_signals(self) -> dict[str, np.ndarray]:
        """This step's inputs to :mod:`exo_sim.metrics`, (N, ...) each, SI units.

        Joints (moment, omega) are hip flexion, knee, ankle of the left then the right leg;
        ``moment_bio_nm`` is the actuator moment minus the exo motor's torque.
        """
        sens, c, ix = self.physics.sensordata, self.cols, self.index
        total = sens[:, c.joint_actfrc]
        exo = np.zeros_like(total)
        exo[:, [0, 3]] = sens[:, c.exo_torque]  # MOMENT_JOINTS order: hip, knee, ankle per side
        dofs = [self.sim.model.jnt_dofadr[self.sim.model.joint(j).id] for j in ix.moment_joints]
        return {
            "activation": self.physics.act.copy(),
            "moment_bio_nm": total - exo,
            "omega_rps": self.physics.qvel[:, dofs],
            "grf_z_n": -sens[:, c.grf][:, list(GRF_Z)],
            "exo_torque_nm": sens[:, c.exo_torque].copy(),
            "com_x_m": sens[:, c.com_pos][:, 0].copy(),  # forward position of the whole-body COM
        }

    @property
    def exo_action_slice(self) -> slice:
        """Where the two exo torque commands (left, right; in [-1, 1] x limit) sit in an action."""
        return self._a_exo

    def close(self, **kwargs: Any) -> None:
        """Stop the physics threads."""
        self.physics.close()
