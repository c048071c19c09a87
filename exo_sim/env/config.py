"""Configuration of the walking env: conditions, action, device sensors, reward, timing."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from exo_interfaces.params import check_fields, param
from exo_sim.models.config import BodyConfig, ExoConfig


def _check_interval(owner: object, name: str) -> None:
    lo, hi = getattr(owner, name)
    if lo > hi:
        raise ValueError(f"{type(owner).__name__}.{name}: ({lo}, {hi}) has min > max")


@dataclass(frozen=True, kw_only=True)
class ConditionConfig:
    """Walking condition drawn per episode (uniform in each interval)."""

    speed_range_mps: tuple[float, float] = param((0.6, 1.8), "Commanded forward speed interval, m/s.", ge=0.3, le=2.5)
    slope_range_deg: tuple[float, float] = param(
        (-10.0, 10.0), "Ground slope interval, deg (positive = uphill in +x); applied by tilting gravity.", ge=-15.0, le=15.0
    )

    def __post_init__(self) -> None:
        check_fields(self)
        _check_interval(self, "speed_range_mps")
        _check_interval(self, "slope_range_deg")


@dataclass(frozen=True, kw_only=True)
class ActionConfig:
    """Action layout: [k left synergies, k right synergies, (residual per muscle), exo left, exo right]."""

    synergies_per_leg: int = param(5, "Synergy modules per leg (4: Clark 2010, 5: Neptune 2009, 6-7 add extra modules).", ge=4, le=7)
    residual: bool = param(True, "Add a per-muscle residual excitation channel to the action.")
    residual_scale: float = param(0.1, "Excitation added by a residual action of 1 (residual action is in [-1, 1]).", ge=0.0, le=1.0)
    mirror: bool = param(False, "Swap left/right in observation and action when the gait phase is >= 0.5.")

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass(frozen=True, kw_only=True)
class DeviceSensorConfig:
    """Errors of the exo's own sensors, applied in Python on read-out (seeded)."""

    gyro_noise_rps: float = param(0.01, "Gyro white noise standard deviation, rad/s.", ge=0.0, le=1.0)
    gyro_bias_rps: float = param(0.02, "Standard deviation of the per-episode gyro bias, rad/s.", ge=0.0, le=1.0)
    acc_noise_mps2: float = param(0.05, "Accelerometer white noise standard deviation, m/s^2.", ge=0.0, le=5.0)
    acc_bias_mps2: float = param(0.1, "Standard deviation of the per-episode accelerometer bias, m/s^2.", ge=0.0, le=5.0)
    encoder_noise_rad: float = param(0.001, "Hip encoder angle noise standard deviation, rad.", ge=0.0, le=0.1)
    encoder_vel_noise_rps: float = param(0.02, "Hip velocity noise standard deviation, rad/s.", ge=0.0, le=1.0)
    latency_s: float = param(0.0, "Read-out latency, s; rounded to whole policy periods.", ge=0.0, le=0.2)

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass(frozen=True, kw_only=True)
class RewardConfig:
    """Weights and widths of the reward terms (companion setup's values by default)."""

    tracking_weight: float = param(10.0, "Weight of the tracking product (velocity x lateral x head angular velocity Gaussians).", ge=0.0)
    velocity_sigma_mps: float = param(0.07, "Width of the forward-velocity Gaussian, m/s.", gt=0.0)
    velocity_coef: float = param(0.06, "Exponent factor c in exp(-c (v - v*)^2 / sigma^2).", gt=0.0)
    lateral_sigma_mps: float = param(0.10, "Width of the lateral-velocity Gaussian, m/s.", gt=0.0)
    head_angvel_sigma_rps: tuple[float, float, float] = param(
        (0.6, 0.65, 1.4), "Widths of the head angular-velocity Gaussians about ground x, y, z, rad/s.", gt=0.0
    )
    joint_limit_weight: float = param(-0.2, "Weight of sum |joint-limit torque| / (body weight x 1 m).", le=0.0)
    effort_weight: float = param(-0.1, "Weight of sum activation^3.", le=0.0)
    exo_effort_weight: float = param(-1.0, "Weight of sum (|tau_exo| / torque_norm)^3 (companion: -0.1 x 10).", le=0.0)
    exo_smoothness_weight: float = param(-0.01, "Weight of sum (delta tau_exo, Nm)^2 between policy steps.", le=0.0)
    fall_penalty: float = param(-250.0, "Reward on the step that ends in a fall.", le=0.0)
    torque_norm_nm: float = param(15.0, "Torque that normalises exo effort and the exo-torque observation, Nm.", gt=0.0)

    def __post_init__(self) -> None:
        check_fields(self)


@dataclass(frozen=True, kw_only=True)
class StartPoseConfig:
    """Mid-gait start: one leading and one trailing leg (leading side drawn per episode), the body
    lowered onto the lower foot. ``enabled = False`` keeps the standing start (feet together), from
    which the body topples within ~0.7 s unless a leg is already swinging.

    Mid-stance (leading leg under the body, trailing knee flexed as just after toe-off) is the
    slowest point of the inverted-pendulum gait and needs no vault over a long step; a heel-strike
    pose (lead 0.4, trail -0.28, knees 0.1) needs more than 1.2 m/s to vault over the front leg."""

    enabled: bool = param(False, "Start from this pose instead of standing.")
    lead_hip_rad: float = param(0.4, "Hip flexion of the leading leg, rad.", ge=-0.8, le=0.8)
    trail_hip_rad: float = param(-0.28, "Hip flexion of the trailing leg, rad.", ge=-0.8, le=0.8)
    lead_knee_rad: float = param(0.1, "Knee flexion of the leading leg, rad (positive = flexed).", ge=0.0, le=1.5)
    trail_knee_rad: float = param(0.1, "Knee flexion of the trailing leg, rad (positive = flexed).", ge=0.0, le=1.5)
    jitter_rad: float = param(0.03, "Uniform noise on these four joint angles, rad.", ge=0.0, le=0.3)
    gravity_upright: bool = param(
        False, "On a slope, pitch the body to stand upright against gravity (as a person on a ramp does) instead of "
        "along the ground normal (leaning back uphill, forward downhill, by the slope angle).")
    lateral_speed_mps: float = param(
        0.0, "Sideways speed of the whole body toward the leading leg, m/s (3D bodies): the weight shift onto the leg "
        "that takes the next stance. Started at rest sideways, with the feet at hip width, the body tips toward the "
        "swing side in its first single stance.", ge=0.0, le=0.5)

    def __post_init__(self) -> None:
        check_fields(self)
        if self.lateral_speed_mps and not self.enabled:
            raise ValueError(f"StartPoseConfig.lateral_speed_mps {self.lateral_speed_mps}: needs enabled: true (the standing "
                             "start has no leading leg to move toward)")


def _check_thigh_phase_start(rows: tuple[tuple[float, float, float, float], ...]) -> None:
    for i, row in enumerate(rows):
        if len(row) != 4 or not all(math.isfinite(v) for v in row):
            raise ValueError(f"EnvConfig.thigh_phase_start[{i}]: expected 4 finite numbers, got {row!r}")
        if not (0.0 < row[0] <= 2.5 and abs(row[1]) <= 1.5 and 0.0 < row[2] <= 1.5 and 0.0 < row[3] <= 1.5):
            raise ValueError(f"EnvConfig.thigh_phase_start[{i}]: {row!r} out of range; allowed speed (0, 2.5] m/s, "
                             "angle centre [-1.5, 1.5] rad, scales (0, 1.5]")
    speeds = [row[0] for row in rows]
    if any(b <= a for a, b in zip(speeds, speeds[1:])):
        raise ValueError(f"EnvConfig.thigh_phase_start: speeds must ascend, got {speeds}")


@dataclass(frozen=True, kw_only=True)
class EnvConfig:
    """The walking env: body, exo, timing, conditions, action, sensors, reward, termination."""

    body: BodyConfig = param(BodyConfig(), "Body to simulate.")
    exo: ExoConfig = param(ExoConfig(), "The exo worn on it.")
    exo_mode: Literal["assist", "no_exo"] = param(
        "assist", "'no_exo' keeps the exo's mass, inertia and friction but forces zero motor torque."
    )
    policy_hz: float = param(40.0, "Policy (action) rate, Hz.", ge=10.0, le=200.0)
    substeps: int = param(16, "Physics steps per policy step; timestep = 1 / (policy_hz x substeps).", ge=1, le=100)
    base_hz: float = param(
        0.0, "Rate of the base controller (the reflex layer, see WalkVecEnv.set_base_controller) within each "
        "policy step, Hz; 0 = the policy rate. A multiple of policy_hz that divides the physics rate.", ge=0.0, le=1000.0
    )
    episode_s: float = param(20.0, "Episode length before truncation, s.", gt=0.0, le=600.0)
    fall_height_m: float = param(0.3, "Terminate when the COM is less than this above the lowest heel, m.", ge=0.0, le=1.5)
    init_joint_noise_rad: float = param(0.02, "Uniform noise on the initial joint angles, rad.", ge=0.0, le=0.3)
    init_speed_fraction: float = param(1.0, "Initial forward speed of the whole body as a fraction of the target.", ge=0.0, le=1.5)
    start: StartPoseConfig = param(StartPoseConfig(), "Pose each episode starts from (after the joint noise).")
    heel_strike_threshold: float = param(0.05, "Vertical GRF / body weight that marks foot contact (gait phase).", gt=0.0, le=1.0)
    assist_clock: Literal["heel_strike", "thigh"] = param(
        "heel_strike", "Clock of a phase-based assistance profile (exo_sim.learning.assist_profile): 'heel_strike', the "
        "stride-extrapolating clock of env.phase (holds at its end in a long stride), or 'thigh', each leg's phase "
        "from its thigh angle and gyro (exo_sim.env.thigh_phase)."
    )
    thigh_phase_max_rate_hz: float = param(
        0.0, "Limit of the 'thigh' clock: > 0, its phase only advances, by at most this many strides per second "
        "(no start-up jumps while its running means settle, exo_sim.env.thigh_phase); 0 = the estimate as it is.",
        ge=0.0, le=10.0,
    )
    thigh_phase_start: tuple[tuple[float, float, float, float], ...] = param(
        (), "Reset values of the 'thigh' clock by commanded speed: rows (speed m/s, thigh angle centre rad, angle "
        "scale rad, integral scale rad s), speeds ascending, linear between rows (exo_sim.env.thigh_phase.start_values); "
        "measured on the walk, so the clock starts settled. Empty = fixed values for adult walking at about 1 stride/s."
    )
    conditions: ConditionConfig = param(ConditionConfig(), "Speed and slope per episode.")
    action: ActionConfig = param(ActionConfig(), "Action layout.")
    sensors: DeviceSensorConfig = param(DeviceSensorConfig(), "Exo sensor errors.")
    reward: RewardConfig = param(RewardConfig(), "Reward terms.")

    def __post_init__(self) -> None:
        check_fields(self)
        _check_thigh_phase_start(self.thigh_phase_start)
        dt = self.timestep_s
        if not 5e-4 <= dt <= 5e-3:
            raise ValueError(
                f"EnvConfig: timestep 1/(policy_hz x substeps) = {dt:.6f} s is out of range; allowed [0.0005, 0.005]"
            )
        # MuJoCo's floor is 2 timesteps; at 2.05 the tuned walks' couplings gained energy, at 3.2 and 4.1 not (stop 26).
        tc = self.body.coupling_timeconst_s
        if tc is not None and tc < 3.0 * dt:
            raise ValueError(f"EnvConfig: body.coupling_timeconst_s {tc:g} s is under three physics timesteps "
                             f"({dt:.6f} s each), where the couplings gain energy; raise substeps or the time constant")
        ticks = self.base_ticks
        if self.base_hz and (abs(ticks * self.policy_hz - self.base_hz) > 1e-9 or self.substeps % ticks):
            raise ValueError(
                f"EnvConfig.base_hz: {self.base_hz:g} Hz must be a multiple of policy_hz ({self.policy_hz:g} Hz) that "
                f"divides the physics rate ({self.policy_hz * self.substeps:g} Hz)"
            )

    @property
    def base_ticks(self) -> int:
        """Base-controller updates per policy step (1 when base_hz is 0)."""
        return max(1, round(self.base_hz / self.policy_hz)) if self.base_hz else 1

    @property
    def timestep_s(self) -> float:
        """Physics timestep, s."""
        return 1.0 / (self.policy_hz * self.substeps)

    @property
    def policy_dt_s(self) -> float:
        """Policy period, s."""
        return 1.0 / self.policy_hz

    @property
    def max_steps(self) -> int:
        """Policy steps before truncation."""
        return int(round(self.episode_s * self.policy_hz))
