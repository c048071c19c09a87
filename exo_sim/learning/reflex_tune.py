"""CMA-ES tuning of the reflex controller (``cma`` package), one candidate per env, resumable.

Cost of a candidate walking ``duration_s`` at each of ``speeds_mps`` x ``slopes_deg`` (mean over
those conditions and the initial-state seeds):
    J = progress_weight x (1 - min(d, v* T) / (v* T)) + fall_weight x (1 - t_alive / T)
        + speed_weight x min(|v_mean - v*|, 1.5) + effort_weight x mean(a^3) + trunk_weight x sd(pitch)
        + speed_floor_weight x clip(v* - speed_floor_tol_mps - v_mean, 0, 1.5)
        + speed_ceiling_weight x clip(v_mean - v* - speed_ceiling_tol_mps, 0, 1.5)
where d is the forward COM distance before a fall and v_mean = d / t_alive. v* is the commanded
speed, or ``cost_speed_mps`` when set: the env and the reflexes still get the commanded speed, but
the cost then neither pays for speed above v* nor for speed the person cannot reach, so an
assisted search and its control can be held to one walking speed. The progress term
makes standing still (a strong local optimum of fall + speed costs alone) worse than walking
forward for a while. sd(pitch) is the spread of the pelvis pitch (rad) while alive: the tuned
gaits bow the trunk by tens of degrees every step (people keep it within a few degrees), which
leaves them little margin. A run that has covered less than ``stall_fraction`` of v* t after
``stall_after_s`` counts as a fall. The reflexes act as the env's base controller (at
``env.base_hz``), optionally under ``action_noise_std`` of white action noise (the same sequence
for every candidate), so the tuned layer tolerates a policy's exploration on top of it. With
``assist_profile``, the exo (``env.exo_mode: assist``) applies the phase-based profile of
:mod:`exo_sim.learning.assist_profile` at the reflex rate, and its 5 parameters are tuned with the
reflexes: the simulated person adapts to the exo while the exo adapts to the person. Two training
aids tune by continuation, each fading linearly to zero over its first generations: an external
pelvis pitch support (``trunk_support_*``) and a level approach to each run's slope
(``slope_level_s``, ``slope_ramp_s``). A slope curriculum widens the slopes as success allows:
they start at ``slope_scale_start`` x ``slopes_deg`` and grow by ``slope_scale_step`` after every
generation whose best candidate walks every run to the end. A slope offset does the same by
addition: the slopes start ``slope_offset_start_deg`` away from ``slopes_deg`` (negative = more
downhill, where gravity helps the gait along) and move ``slope_offset_step_deg`` toward them after
every such generation. That is continuation up from the downhill gaits, the one lead past the
gaits' propulsion limit. A speed offset does the same for the commanded speed
(``speed_offset_start_mps``, ``speed_offset_step_mps``): the commanded speed enters the reflex laws,
and a gait tuned at one speed falls when commanded another, so a gait found at one speed is
carried to the next in small steps (``curriculum.json`` keeps scale and offsets for a resumed run).
With ``curriculum_speed_tol_mps`` a step also waits until that candidate keeps its speed on every
run: a gait that survives each step by slowing down (every offset continuation before stop 26)
is made to win its speed back before the ground tilts further. ``best.json`` compares
candidates only under equal aids, slope scale and both offsets, so its final entry is an unaided
walker on the full slopes at the target speeds. Every
generation writes ``es.pkl`` (the whole CMA-ES state), ``best.json`` (best parameters so far with their cost) and a ``progress.csv`` row.
"""

from __future__ import annotations

import csv
import json
import logging
import pickle
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cma
import numpy as np

from exo_interfaces.params import check_fields, from_mapping, param, read_parameter_file, to_mapping
from exo_sim.env.config import EnvConfig
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning import assist_profile
from exo_sim.learning.export import git_commit
from exo_sim.learning.reflex import (
    FRONTAL_DRIVE_NAMES,
    FRONTAL_HEADING_NAMES,
    FRONTAL_NAMES,
    FRONTAL_PLACE_NAMES,
    FRONTAL_PUSH_NAMES,
    HIP_EXT_GATE_NAMES,
    INITIAL,
    NAMES,
    SCALE,
    SPEED_OFFSET_NAMES,
    ExcitationProjector,
    ReflexBase,
    ReflexController,
    from_dict,
    from_unit,
    to_dict,
)

logger = logging.getLogger(__name__)

SECTION = "reflex_tuning"


#: Reflex parameter groups added after runs had started, each searched only where the config flag of the
#: same name asks, so the runs from before them resume in their own dimensions.
OPTIONAL_GROUPS: dict[str, tuple[str, ...]] = {"frontal_drives": FRONTAL_DRIVE_NAMES, "frontal_push": FRONTAL_PUSH_NAMES,
                                               "frontal_place": FRONTAL_PLACE_NAMES, "frontal_heading": FRONTAL_HEADING_NAMES,
                                               "hip_ext_gate": HIP_EXT_GATE_NAMES, "speed_cmd_offset": SPEED_OFFSET_NAMES}
#: Those that act only on a body whose hips adduct (refused on the sagittal ones).
OPTIONAL_3D_FLAGS = frozenset({"frontal_drives", "frontal_push", "frontal_place", "frontal_heading"})


@dataclass(frozen=True, kw_only=True)
class ReflexTuneConfig:
    """CMA-ES settings and the walking task the reflexes are tuned on."""

    env: EnvConfig = param(EnvConfig(), "Env the controller acts in (action layout, body, mirroring).")
    speeds_mps: tuple[float, ...] = param((1.2,), "Target speeds; candidates are scored on each (in turn per env).", ge=0.3, le=2.5)
    slopes_deg: tuple[float, ...] = param((0.0,), "Slopes of the tuning task, deg; every speed is scored on every slope.", ge=-15.0, le=15.0)
    duration_s: float = param(8.0, "Simulated time per candidate, s.", gt=0.0, le=60.0)
    seeds: tuple[int, ...] = param((0, 1), "Initial-state seeds; every candidate gets the same initial states and the mean cost.", ge=0)
    fresh_starts: int = param(0, "Draw this many initial-state seeds anew every generation (fresh_start_seeds), in place of seeds, so the search cannot fit a fixed set of starts; every candidate of a generation gets the same ones. best.json then holds the last generation's best (costs on other starts do not compare) and mean.json the search distribution's mean (0 = the fixed seeds).", ge=0, le=64)
    popsize: int = param(16, "CMA-ES population (= parallel envs).", ge=4, le=512)
    sigma0: float = param(0.5, "Initial step size in units of each parameter's scale.", gt=0.0, le=5.0)
    generations: int = param(200, "Generations to run.", ge=1)
    seed: int = param(0, "CMA-ES and env seed.", ge=0)
    nthread: int = param(1, "Physics threads.", ge=1, le=64)
    progress_weight: float = param(100.0, "Weight of the missing fraction of the distance v* x T.", ge=0.0)
    fall_weight: float = param(30.0, "Weight of the fraction of the run not survived.", ge=0.0)
    speed_weight: float = param(20.0, "Weight of the mean speed error, per m/s.", ge=0.0)
    cost_speed_mps: float = param(0.0, "Speed the cost scores against (progress goal, speed error, stall limit) in place of the commanded speed, m/s; the env and reflexes keep the commanded speed (0 = the commanded speed).", ge=0.0, le=2.5)
    effort_weight: float = param(5.0, "Weight of mean activation cubed.", ge=0.0)
    speed_floor_weight: float = param(0.0, "Weight of each run's mean speed below v* - speed_floor_tol_mps, per m/s, on top of speed_weight: a one-sided penalty steep enough to act as a floor. The effort cost is per second, so slowing down saves effort; with the symmetric speed_weight alone 4 of 6 assisted level 1.2 m/s searches (stop 46) settled 0.04-0.09 m/s below their held speed and saved nothing per metre (0 = off).", ge=0.0)
    speed_floor_tol_mps: float = param(0.02, "How far below v* a run's mean speed may fall before speed_floor_weight charges, m/s.", ge=0.0, le=0.5)
    speed_ceiling_weight: float = param(0.0, "Weight of each run's mean speed above v* + speed_ceiling_tol_mps, per m/s, on top of speed_weight: with the floor, a band that holds an assisted search and its control to one speed. Under the floor alone both sides of the level 1.0 m/s continuation (stop 48) settled above their held 1.02 m/s, assisted 0.05 m/s faster than its control, so activation per second did not compare at equal speed (0 = off).", ge=0.0)
    speed_ceiling_tol_mps: float = param(0.03, "How far above v* a run's mean speed may rise before speed_ceiling_weight charges, m/s.", ge=0.0, le=0.5)
    init_params: str = param("", "JSON file of named parameters to start from ('' = built-in guess).")
    action_noise_std: float = param(0.0, "White noise on every action dimension each policy step, added to the reflex action (a residual policy's exploration); the same sequence for every candidate.", ge=0.0, le=0.5)
    stall_after_s: float = param(3.0, "From this time on, a candidate that has covered less than stall_fraction x v* x t counts as fallen, s.", gt=0.0)
    trunk_weight: float = param(0.0, "Weight of the pelvis pitch spread while alive, per rad (0 = off).", ge=0.0)
    support_weight: float = param(0.0, "Weight of the mean frontal support load while alive (WalkVecEnv.frontal_support_load: support moments over body weight x 1 m plus lateral force over body weight), so that under the continuation aid the search prefers walkers that carry their own pelvis over walkers that lean on it (0 = off).", ge=0.0)
    assist_profile: bool = param(False, "Co-tune a phase-based exo assistance profile with the reflexes (needs env.exo_mode: assist).")
    init_profile: str = param("", "JSON file whose 'assist' entry starts the profile ('' = built-in guess).")
    trunk_support_nm_per_rad: float = param(0.0, "Continuation aid: stiffness of an external pelvis pitch support at generation 1 (WalkVecEnv.set_trunk_support), Nm/rad; lowered linearly to zero over trunk_support_generations (0 = off).", ge=0.0, le=5000.0)
    trunk_support_nm_s_per_rad: float = param(0.0, "Damping of the pelvis pitch support at generation 1, Nm s/rad; lowered with the stiffness.", ge=0.0, le=500.0)
    trunk_support_generations: int = param(0, "Generations over which the support falls to zero; from then on the controller walks unaided.", ge=0)
    frontal_support_nm_per_rad: float = param(0.0, "3D body's continuation aid (WalkVecEnv.set_frontal_support): stiffness of the pelvis roll and yaw support at generation 1, Nm/rad; lowered linearly to zero over frontal_support_generations with the three below (0 = off).", ge=0.0, le=5000.0)
    frontal_support_nm_s_per_rad: float = param(0.0, "Damping of the pelvis roll and yaw support at generation 1, Nm s/rad.", ge=0.0, le=500.0)
    lateral_support_n_per_m: float = param(0.0, "Stiffness of the lateral support of the centre of mass at generation 1, N/m.", ge=0.0, le=1e5)
    lateral_support_n_s_per_m: float = param(0.0, "Damping of the lateral support at generation 1, N s/m.", ge=0.0, le=1e4)
    frontal_support_generations: int = param(0, "Generations over which the frontal and lateral support fall to zero.", ge=0)
    frontal_support_step: float = param(0.0, "Gated frontal support, in place of frontal_support_generations: the support falls by this fraction of its generation-1 value after each generation whose best candidate walks every run (as the slope curriculum), so it is lowered only as fast as the search keeps walking; it may stop above zero, and evaluations run without it.", ge=0.0, le=1.0)
    frontal_drives: bool = param(False, "On a 3D body, also search the separate stance abductor drive and adductor inhibition (reflex.FRONTAL_DRIVE_NAMES); off, they stay at their starting values, as in the runs from before they existed.")
    frontal_push: bool = param(False, "On a 3D body, also search the lateral push-off (reflex.FRONTAL_PUSH_NAMES); off, it stays at its starting value.")
    frontal_place: bool = param(False, "On a 3D body, also search the swing foot placement by the pelvis's offset from the stance heel (reflex.FRONTAL_PLACE_NAMES); off, it stays at its starting value.")
    hip_ext_gate: bool = param(False, "Also search the stance hip's extension gate (reflex.HIP_EXT_GATE_NAMES: extensor drive down, flexor drive up past an onset angle), on any body; off, it stays at its starting value (gains 0: no gate).")
    speed_cmd_offset: bool = param(False, "Also search the offset added to the commanded speed the reflex laws see (reflex.SPEED_OFFSET_NAMES), on any body; off, it stays at its starting value (0: the command as given).")
    frontal_heading: bool = param(False, "On a 3D body, also search the swing foot placement by the pelvis's heading (reflex.FRONTAL_HEADING_NAMES); off, it stays at its starting value.")
    slope_level_s: float = param(0.0, "Continuation aid for slopes: level walking before the ground tilts to each run's slope at generation 1 (WalkVecEnv.set_slope_approach), s; lowered linearly to zero over slope_approach_generations.", ge=0.0, le=60.0)
    slope_ramp_s: float = param(0.0, "Time over which the ground tilts to the slope at generation 1, s; lowered with slope_level_s.", ge=0.0, le=60.0)
    slope_approach_generations: int = param(0, "Generations over which the slope approach shrinks to zero: from then on every run starts on its slope.", ge=0)
    stall_fraction: float = param(0.4, "Progress below this fraction of the commanded distance ends the run (0 = never).", ge=0.0, le=1.0)
    slope_scale_start: float = param(1.0, "Slope curriculum: the tuning slopes are this fraction of slopes_deg at generation 1 (1 = off).", ge=0.0, le=1.0)
    slope_scale_step: float = param(0.1, "Slope curriculum: the fraction grows by this much after each generation whose best candidate walks every run to the end, up to 1.", gt=0.0, le=1.0)
    slope_offset_start_deg: float = param(0.0, "Slope curriculum: the tuning slopes start this far from scale x slopes_deg, deg (negative = downhill; 0 = off).", ge=-15.0, le=15.0)
    slope_offset_step_deg: float = param(0.5, "Slope curriculum: the offset moves this much toward 0 after each generation whose best candidate walks every run to the end, deg.", gt=0.0, le=15.0)
    speed_offset_start_mps: float = param(0.0, "Speed curriculum: the commanded speeds start this far from speeds_mps, m/s (0 = off).", ge=-2.0, le=2.0)
    speed_offset_step_mps: float = param(0.05, "Speed curriculum: the offset moves this much toward 0 after each generation whose best candidate walks every run to the end, m/s.", gt=0.0, le=1.0)
    impact_weight: float = param(0.0, "Weight of the mean vertical ground force above impact_threshold_bw, both feet, per body weight, sampled at the policy rate while alive: the tuned gaits land with 2.8-5.2 body weights (people 1.1-1.3) and lose 0.3-0.6 W/kg to the ground on level walks (stop 26), which a faster level gait would have to spend on speed (stop 41; 0 = off).", ge=0.0)
    impact_threshold_bw: float = param(1.5, "Vertical ground force per foot above which impact_weight charges, body weights.", gt=0.0, le=10.0)
    hip_limit_weight: float = param(0.0, "Weight of the mean flexion moment the hips' extension limits hold while alive (WalkVecEnv.hip_extension_limit_moment_nm, mean of the two hips, Nm per kg of body mass): the tuned gaits hang the stance hip on its stop, which holds 0.6 Nm/kg on average and about 3 Nm/kg in late stance (stop 40), so that the search prefers a hip held by its muscles (0 = off; measured only when on).", ge=0.0)
    hip_extension_limit_target_deg: float | None = param(None, "Hip extension limit curriculum: the hips' extension limit widens from the body's own (BodyConfig.hip_extension_limit_deg, else myo-sim's) toward this, deg, by hip_extension_limit_step_deg after each generation whose best candidate walks every run (null = off). Gaits tuned on myolegs26's 20 deg limit rest on it and fall within 2 s if it is widened by 4 deg (stop 40).", ge=5.0, le=40.0)
    hip_extension_limit_step_deg: float = param(1.0, "Hip extension limit curriculum: deg added to the limit per walking generation.", gt=0.0, le=10.0)
    curriculum_speed_tol_mps: float = param(0.0, "The slope and speed curricula also wait until that best candidate's mean speed on every run is within this of the cost's speed, m/s (0 = walking every run is enough).", ge=0.0, le=2.0)

    def __post_init__(self) -> None:
        check_fields(self)
        if (self.trunk_support_nm_per_rad or self.trunk_support_nm_s_per_rad) and self.trunk_support_generations == 0:
            raise ValueError("ReflexTuneConfig: trunk support needs trunk_support_generations > 0 (it must reach zero)")
        if any(self.frontal_support(1.0)) and (self.frontal_support_generations > 0) == (self.frontal_support_step > 0):
            raise ValueError("ReflexTuneConfig: frontal support needs one way down: frontal_support_generations > 0 (it must "
                             "reach zero) or frontal_support_step > 0 (gated on walking), not both")
        if self.hip_extension_limit_target_deg is not None and self.hip_extension_limit_target_deg < self.env.body.hip_extension_limit:
            raise ValueError(f"ReflexTuneConfig: hip_extension_limit_target_deg {self.hip_extension_limit_target_deg} is below the "
                             f"body's own limit {self.env.body.hip_extension_limit:g} deg; the curriculum only widens it")
        if any(self.frontal_support(1.0)) and self.env.body.sagittal:
            raise ValueError(f"ReflexTuneConfig: frontal support needs a 3D body, not {self.env.body.name!r}")
        for flag in OPTIONAL_3D_FLAGS:
            if getattr(self, flag) and self.env.body.sagittal:
                raise ValueError(f"ReflexTuneConfig: {flag} needs a 3D body, not {self.env.body.name!r}")
        if (self.slope_level_s or self.slope_ramp_s) and self.slope_approach_generations == 0:
            raise ValueError("ReflexTuneConfig: a slope approach needs slope_approach_generations > 0 (it must reach zero)")
        if 0.0 < self.cost_speed_mps < 0.3:
            raise ValueError(f"ReflexTuneConfig: cost_speed_mps must be 0 (the commanded speed) or at least 0.3 m/s, not {self.cost_speed_mps}")
        if not all(0.3 <= v + self.speed_offset_start_mps <= 2.5 for v in self.speeds_mps):
            raise ValueError(f"ReflexTuneConfig: speed_offset_start_mps {self.speed_offset_start_mps} takes the commanded speeds "
                             f"{self.speeds_mps} outside 0.3-2.5 m/s")
        if self.assist_profile and self.env.exo_mode != "assist":
            raise ValueError(f"ReflexTuneConfig: assist_profile needs env.exo_mode: assist, not {self.env.exo_mode!r}")

    def frontal_support(self, fraction: float) -> tuple[float, float, float, float]:
        """(roll/yaw Nm/rad, Nm s/rad, lateral N/m, N s/m) of the frontal support at ``fraction`` of its generation-1 value."""
        return (fraction * self.frontal_support_nm_per_rad, fraction * self.frontal_support_nm_s_per_rad,
                fraction * self.lateral_support_n_per_m, fraction * self.lateral_support_n_s_per_m)

    def frontal_support_fraction(self, generation: int, gated: float) -> float:
        """The fraction of the frontal support at ``generation`` (1-based): faded over generations, or
        ``gated`` (the fraction the gated schedule has reached)."""
        return _fading(generation, self.frontal_support_generations) if self.frontal_support_generations else gated


def searched_param(cfg: ReflexTuneConfig, name: str) -> bool:
    """Whether CMA-ES searches the reflex parameter ``name`` (the rest stay at their starting values):
    the frontal-plane ones only on a body whose hips adduct, and each optional group only where its
    config flag asks (OPTIONAL_GROUPS; the 3D ones, OPTIONAL_3D_FLAGS, also only on such a body)."""
    for flag, names in OPTIONAL_GROUPS.items():
        if name in names:
            return bool(getattr(cfg, flag)) and not (flag in OPTIONAL_3D_FLAGS and cfg.env.body.sagittal)
    return not cfg.env.body.sagittal or name not in FRONTAL_NAMES


def load_reflex_tune_config(path: str | Path, overrides: dict[str, Any] | None = None) -> ReflexTuneConfig:
    """Read the ``reflex_tuning`` section of a parameter file."""
    sections = read_parameter_file(path)
    if SECTION not in sections:
        raise ValueError(f"{path}: no '{SECTION}' section; found {sorted(sections)}")
    values = {**sections[SECTION], **(overrides or {})}
    return from_mapping(ReflexTuneConfig, values, source=f"{path}: {SECTION}")


def rollout_cost(env: WalkVecEnv, ctrl: ReflexController, proj: ExcitationProjector, params: np.ndarray,
                 cfg: ReflexTuneConfig, speed: float, seed: int, slope_deg: float = 0.0,
                 profile: np.ndarray | None = None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Cost of each env's parameters (N, P) (and assistance profiles (N, K)) on one episode; envs
    stop counting when they fall."""
    n = env.num_envs
    # The same start pose for every env: candidates are compared from one state.
    env.reset(seed=seed, options={"speed_mps": speed, "slope_deg": slope_deg, "start_seed": seed})
    steps = int(round(cfg.duration_s * env.cfg.policy_hz))
    alive = np.ones(n, dtype=bool)
    t_alive = np.zeros(n)
    effort, activation = np.zeros(n), np.zeros(n)
    pitch_sum, pitch_sq = np.zeros(n), np.zeros(n)
    support_load = np.zeros(n)
    hip_limit_load = np.zeros(n)
    impact = np.zeros(n)
    grf_z = [env.obs_layout.slices()["grf_per_bw"].start + leg.grf_z for leg in ctrl.legs]  # vertical, per foot
    body_mass_kg = env.sim.total_mass_kg
    quat = env.obs_layout.slices()["pelvis_quat"]
    x0 = env.physics.sensordata[:, env.cols.com_pos][:, 0].copy()
    x_end = x0.copy()
    env.set_base_controller(ReflexBase(params, env, profile, ctrl=ctrl, proj=proj))  # at env.cfg.base_hz
    noise_rng = np.random.default_rng([seed, int(round(speed * 100)), int(round(slope_deg * 100)) + 10_000])
    target = cfg.cost_speed_mps or speed  # v* of the cost
    for _ in range(steps):
        noise = np.tile(noise_rng.normal(0.0, cfg.action_noise_std, env.act_layout.size), (n, 1))
        obs, _r, fell, _trunc, _ = env.step(noise)  # the reflexes act through the base controller
        effort += alive * np.mean(env.physics.act**3, axis=1)
        activation += alive * np.mean(env.physics.act, axis=1)
        pitch = ctrl.lean(obs[:, quat])  # as the reflexes see it
        pitch_sum += alive * pitch
        pitch_sq += alive * pitch**2
        support_load += alive * env.frontal_support_load()
        impact += alive * np.maximum(obs[:, grf_z] - cfg.impact_threshold_bw, 0.0).sum(axis=1)
        if cfg.hip_limit_weight:
            hip_limit_load += alive * env.hip_extension_limit_moment_nm().mean(axis=1) / body_mass_kg
        x_end = np.where(alive, env.physics.sensordata[:, env.cols.com_pos][:, 0], x_end)
        t_alive += alive * env.cfg.policy_dt_s
        # Standing or creeping is not walking: stop those runs early (cost as a fall, and faster).
        stalled = (t_alive >= cfg.stall_after_s) & (x_end - x0 < cfg.stall_fraction * target * t_alive)
        alive &= ~fell & ~stalled
        if not alive.any():
            break
    env.set_base_controller(None)
    t = np.maximum(t_alive, env.cfg.policy_dt_s)
    v_mean = (x_end - x0) / t
    goal = target * cfg.duration_s
    progress = np.clip(x_end - x0, 0.0, goal) / goal
    n_alive = t / env.cfg.policy_dt_s
    pitch_sd = np.sqrt(np.maximum(pitch_sq / n_alive - (pitch_sum / n_alive) ** 2, 0.0))
    speed_floor_gap = np.clip(target - cfg.speed_floor_tol_mps - v_mean, 0.0, 1.5)  # m/s below the floor
    speed_ceiling_gap = np.clip(v_mean - target - cfg.speed_ceiling_tol_mps, 0.0, 1.5)  # m/s above the ceiling
    cost = (cfg.progress_weight * (1.0 - progress) + cfg.fall_weight * (1.0 - t_alive / cfg.duration_s) + cfg.speed_weight * np.minimum(np.abs(v_mean - target), 1.5)
            + cfg.speed_floor_weight * speed_floor_gap + cfg.speed_ceiling_weight * speed_ceiling_gap
            + cfg.effort_weight * effort / n_alive + cfg.trunk_weight * pitch_sd + cfg.support_weight * support_load / n_alive
            + cfg.hip_limit_weight * hip_limit_load / n_alive + cfg.impact_weight * impact / n_alive)
    return cost, {"t_alive_s": t_alive, "speed_mps": v_mean, "pitch_sd_rad": pitch_sd, "activation": activation / n_alive,
                  "support_load": support_load / n_alive, "hip_limit_nm_per_kg": hip_limit_load / n_alive,
                  "impact_bw": impact / n_alive}


#: Fresh start seeds are drawn from here up: clear of the fixed tuning seeds and the held-out starts (0-99).
FRESH_START_FIRST = 1000


def fresh_start_seeds(cfg: ReflexTuneConfig, generation: int) -> tuple[int, ...]:
    """The initial-state seeds of ``generation`` (1-based): ``cfg.seeds``, or with ``cfg.fresh_starts``
    that many drawn from the run's seed and the generation, so a resumed run draws the same ones."""
    if not cfg.fresh_starts:
        return cfg.seeds
    rng = np.random.default_rng([cfg.seed, generation])
    return tuple(FRESH_START_FIRST + int(v) for v in rng.choice(1_000_000, cfg.fresh_starts, replace=False))


def _fading(generation: int, generations: int) -> float:
    """1 at generation 1, falling linearly to 0 at 1 + ``generations`` and after (0 when generations is 0)."""
    return max(0.0, 1.0 - (generation - 1) / generations) if generations else 0.0


def trunk_support(cfg: ReflexTuneConfig, generation: int) -> tuple[float, float]:
    """(stiffness Nm/rad, damping Nm s/rad) of the pelvis support at ``generation`` (1-based)."""
    f = _fading(generation, cfg.trunk_support_generations)
    return f * cfg.trunk_support_nm_per_rad, f * cfg.trunk_support_nm_s_per_rad


def slope_approach(cfg: ReflexTuneConfig, generation: int) -> tuple[float, float]:
    """(level walk s, ramp s) before each run reaches its slope, at ``generation`` (1-based)."""
    f = _fading(generation, cfg.slope_approach_generations)
    return f * cfg.slope_level_s, f * cfg.slope_ramp_s


def next_slope_scale(cfg: ReflexTuneConfig, scale: float) -> float:
    """The slope curriculum's next fraction of ``slopes_deg`` after a generation walked every run."""
    return min(1.0, round(scale + cfg.slope_scale_step, 9))


def _toward_zero(offset: float, step: float) -> float:
    """One ``step`` closer to 0, never past it."""
    return round(float(offset - np.sign(offset) * min(step, abs(offset))), 9)


def next_slope_offset(cfg: ReflexTuneConfig, offset_deg: float) -> float:
    """The slope offset after a generation walked every run."""
    return _toward_zero(offset_deg, cfg.slope_offset_step_deg)


def next_speed_offset(cfg: ReflexTuneConfig, offset_mps: float) -> float:
    """The speed offset after a generation walked every run."""
    return _toward_zero(offset_mps, cfg.speed_offset_step_mps)


def tune(cfg: ReflexTuneConfig, run_dir: Path, *, resume: bool = False, generations: int | None = None,
         command: str = "") -> dict[str, Any]:
    """Run CMA-ES generations (continuing ``run_dir/es.pkl`` with ``resume``); returns the best so far."""
    run_dir.mkdir(parents=True, exist_ok=True)
    # The code this process runs: read once, so a commit made while it runs is not recorded as its own.
    commit = git_commit()
    provenance = {"config": str(run_dir / "config.json"), "commit": commit}  # ends every parameter file the run writes
    es_path, best_path = run_dir / "es.pkl", run_dir / "best.json"
    # CMA-ES searches only the parameters that act on this body (the frontal-plane ones need hips that
    # adduct); the rest stay at their starting values. So sagittal runs keep the search they always had.
    searched = np.array([searched_param(cfg, n) for n in NAMES])
    n_searched = int(searched.sum())
    x_start = np.zeros(len(NAMES))  # where the search starts, and the value of what it does not search
    if cfg.init_params:
        x_start = (from_dict(json.loads(Path(cfg.init_params).read_text())["params"]) - INITIAL) / SCALE
    curriculum_path = run_dir / "curriculum.json"
    if resume and es_path.exists():
        es = pickle.loads(es_path.read_bytes())
        dims = n_searched + (len(assist_profile.NAMES) if cfg.assist_profile else 0)
        if es.N != dims:
            raise ValueError(f"{run_dir}: the CMA-ES run searches {es.N} parameters, this config {dims} "
                             f"(assist_profile must stay as the run started)")
        best = json.loads(best_path.read_text())
        logger.info("resumed CMA-ES at generation %d (best cost %.3f)", es.countiter, best["cost"])
    else:
        if es_path.exists():
            raise FileExistsError(f"{run_dir} already has a CMA-ES run; pass resume=True or choose another run_dir")
        x0 = x_start[searched]
        if cfg.assist_profile:
            p0 = assist_profile.INITIAL
            if cfg.init_profile:
                p0 = assist_profile.from_dict(json.loads(Path(cfg.init_profile).read_text())["assist"])
            x0 = np.r_[x0, (p0 - assist_profile.INITIAL) / assist_profile.SCALE]
        es = cma.CMAEvolutionStrategy(x0, cfg.sigma0, {"popsize": cfg.popsize, "seed": cfg.seed + 1, "verbose": -9})
        best = {"cost": float("inf")}
        curriculum_path.unlink(missing_ok=True)
        (run_dir / "config.json").write_text(json.dumps({SECTION: to_mapping(cfg), "command": command,
                                                         "commit": commit}, indent=2))
    state = json.loads(curriculum_path.read_text()) if curriculum_path.exists() else {}
    scale = state.get("slope_scale", cfg.slope_scale_start)
    offset = state.get("slope_offset_deg", cfg.slope_offset_start_deg if not state else 0.0)  # absent: a run from before the offset
    speed_offset = state.get("speed_offset_mps", cfg.speed_offset_start_mps if not state else 0.0)
    frontal_gated = state.get("frontal_support_fraction", 1.0)
    env = WalkVecEnv(cfg.env, cfg.popsize, nthread=cfg.nthread, autoreset=False)
    hip_limit = state.get("hip_extension_limit_deg", env.hip_extension_limit_deg)
    ctrl, proj = ReflexController(env), ExcitationProjector(env)
    try:
        for _ in range(generations or cfg.generations):
            t0 = time.perf_counter()
            support, approach = trunk_support(cfg, es.countiter + 1), slope_approach(cfg, es.countiter + 1)
            env.set_trunk_support(*support)
            env.set_slope_approach(*approach)
            frontal = cfg.frontal_support(cfg.frontal_support_fraction(es.countiter + 1, frontal_gated))
            env.set_frontal_support(*frontal)
            aids = [*support, *approach, scale, offset, speed_offset, *frontal]
            if cfg.hip_extension_limit_target_deg is not None:
                env.set_hip_extension_limit_deg(hip_limit)
                aids.append(hip_limit)  # only with the curriculum on, so older runs' aids keep their layout
            xs = es.ask()
            n = n_searched
            params = np.stack([from_unit(_full(x[:n], searched, x_start)) for x in xs])
            profiles = np.stack([assist_profile.from_unit(x[n:]) for x in xs]) if cfg.assist_profile else None
            costs = np.zeros(len(xs))
            info: dict[str, np.ndarray] = {}
            starts = fresh_start_seeds(cfg, es.countiter + 1)
            runs = [(v + speed_offset, scale * g + offset, s) for v in cfg.speeds_mps for g in cfg.slopes_deg for s in starts]
            infos = []
            for speed, slope, seed in runs:
                c, info = rollout_cost(env, ctrl, proj, params, cfg, speed, seed, slope, profiles)
                costs += c / len(runs)
                infos.append(info)
            per_run = {k: [inf[k] for inf in infos] for k in infos[0]}  # each measure rollout_cost returns, per run
            walked_all = np.min(per_run["t_alive_s"], axis=0) >= cfg.duration_s - 0.5 * env.cfg.policy_dt_s
            # Each run's speed error against its cost speed: a curriculum step waits for the gait to keep its speed.
            speed_err = np.max([np.abs(v - (cfg.cost_speed_mps or r[0])) for v, r in zip(per_run["speed_mps"], runs)], axis=0)
            ready = walked_all & (speed_err <= cfg.curriculum_speed_tol_mps if cfg.curriculum_speed_tol_mps else True)
            info = {k: np.mean(v, axis=0) for k, v in per_run.items()}  # mean over the runs, per candidate
            es.tell(xs, costs.tolist())
            i = int(np.argmin(costs))
            # Costs under different aids, or from other starts, are not comparable: such a generation replaces the best.
            if costs[i] < best["cost"] or _recorded_aids(best) != aids or cfg.fresh_starts:
                best = {"cost": float(costs[i]), "generation": es.countiter, "aids": aids,
                        "t_alive_s": float(info["t_alive_s"][i]),
                        "speed_mps": float(info["speed_mps"][i]), "params": to_dict(params[i]),
                        **({"assist": assist_profile.to_dict(profiles[i])} if profiles is not None else {}), **provenance}
                best_path.write_text(json.dumps(best, indent=2))
            if cfg.fresh_starts:
                # Under costs that change with the starts, the distribution's mean is the estimate to keep (not scored).
                mean = from_unit(_full(es.mean[:n], searched, x_start))
                (run_dir / "mean.json").write_text(json.dumps({"generation": es.countiter, "aids": aids, "params": to_dict(mean),
                                                               **provenance}, indent=2))
            es_path.write_bytes(pickle.dumps(es))
            row = {"generation": es.countiter, "evaluations": es.countevals, "best_cost": best["cost"],
                   "gen_best_cost": float(costs[i]), "gen_median_cost": float(np.median(costs)),
                   "gen_best_t_alive_s": float(info["t_alive_s"][i]), "gen_max_t_alive_s": float(info["t_alive_s"].max()),
                   "gen_best_pitch_sd_deg": float(np.degrees(info["pitch_sd_rad"][i])),
                   "gen_best_activation": float(info["activation"][i]),
                   "sigma": float(es.sigma), "wall_s": time.perf_counter() - t0, "trunk_support_nm_per_rad": support[0],
                   "slope_level_s": approach[0], "slope_ramp_s": approach[1], "slope_scale": scale,
                   "slope_offset_deg": offset, "speed_offset_mps": speed_offset,
                   "gen_best_speed_mps": float(info["speed_mps"][i]), "gen_best_max_speed_error_mps": float(speed_err[i]),
                   "frontal_support_nm_per_rad": frontal[0], "lateral_support_n_per_m": frontal[2],
                   "gen_best_support_load": float(info["support_load"][i]), "hip_extension_limit_deg": hip_limit,
                   "gen_best_hip_limit_nm_per_kg": float(info["hip_limit_nm_per_kg"][i]),
                   "gen_best_impact_bw": float(info["impact_bw"][i])}
            _append_csv(run_dir / "progress.csv", row)
            if ready[i]:
                # The last candidate that walked every run, with the aids it walked under: a curriculum's
                # next step replaces best.json with a candidate that may not (yet) walk.
                ready_best = {"generation": es.countiter, "aids": aids, "t_alive_s": float(info["t_alive_s"][i]),
                              "speed_mps": float(info["speed_mps"][i]), "cost": float(costs[i]),
                              "params": to_dict(params[i]), **provenance}
                (run_dir / "ready.json").write_text(json.dumps(ready_best, indent=2))
                scale, offset = next_slope_scale(cfg, scale), next_slope_offset(cfg, offset)
                speed_offset = next_speed_offset(cfg, speed_offset)
                frontal_gated = max(0.0, round(frontal_gated - cfg.frontal_support_step, 9))
                if cfg.hip_extension_limit_target_deg is not None:
                    hip_limit = round(min(cfg.hip_extension_limit_target_deg, hip_limit + cfg.hip_extension_limit_step_deg), 9)
            curriculum_path.write_text(json.dumps({"slope_scale": scale, "slope_offset_deg": offset, "speed_offset_mps": speed_offset,
                                                   **({"frontal_support_fraction": frontal_gated} if cfg.frontal_support_step else {}),
                                                   **({"hip_extension_limit_deg": hip_limit}
                                                      if cfg.hip_extension_limit_target_deg is not None else {})}))
            logger.info("gen %d | best %.2f | gen best %.2f (alive %.2f s, v %.2f, pitch sd %.1f deg, activation %.4f) "
                        "| median %.2f | support %.0f Nm/rad, slope after %.1f + %.1f s, slope scale %.2f, offset %+.2f deg, "
                        "speed offset %+.2f m/s, frontal support %.0f Nm/rad %.0f N/m (load %.3f) | %.1f s",
                        row["generation"], best["cost"], row["gen_best_cost"], row["gen_best_t_alive_s"],
                        float(info["speed_mps"][i]), row["gen_best_pitch_sd_deg"], row["gen_best_activation"],
                        row["gen_median_cost"], support[0], *approach, row["slope_scale"], row["slope_offset_deg"], row["speed_offset_mps"],
                        frontal[0], frontal[2], row["gen_best_support_load"], row["wall_s"])
    finally:
        env.close()
    return best


def _recorded_aids(best: dict[str, Any]) -> list[float]:
    """The aids a ``best.json`` was scored under, in today's layout (older files lack the later ones)."""
    aids = list(best.get("aids", [*best.get("trunk_support", (0.0, 0.0)), 0.0, 0.0]))  # before the slope aid
    # before the slope scale (1), slope offset (0), speed offset (0), frontal support (0 x 4)
    return aids + [1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0][len(aids) - 4:]


def _full(x: np.ndarray, searched: np.ndarray, x_start: np.ndarray) -> np.ndarray:
    """The whole search-space vector: the searched entries from ``x``, the others where the run started."""
    out = x_start.copy()
    out[searched] = x
    return out


def _append_csv(path: Path, row: dict[str, float]) -> None:
    """Append a row; a run resumed by newer code that logs more columns gets them added to the
    header (earlier rows left empty there), so no value lands under another column's name."""
    fields = list(row)
    new = not path.exists()
    if not new:
        with path.open(newline="") as f:
            header = next(csv.reader(f), [])  # the header alone, unless the columns changed
        if header != fields:
            with path.open(newline="") as f:
                rows = list(csv.DictReader(f))
            fields = header + [k for k in fields if k not in header]
            with path.open("w", newline="") as f:
                w = csv.DictWriter(f, fieldnames=fields)
                w.writeheader()
                w.writerows(rows)
    with path.open("a", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields)
        if new:
            w.writeheader()
        w.writerow(row)
