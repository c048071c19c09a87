"""Teacher-learning pieces with hand-computed cases: curriculum, gait features, action maps, configs."""

from __future__ import annotations

import csv
import dataclasses
import pickle
from pathlib import Path

import numpy as np
import pytest
import torch
from tensordict import TensorDict

from exo_interfaces.params import ConfigError
from exo_sim.env.config import ConditionConfig
from exo_sim.learning.curriculum import Curriculum
from exo_sim.learning.gait import gait_features, in_normal_range
from exo_sim.learning.train_config import CurriculumConfig, load_train_config

REPO = Path(__file__).resolve().parents[1]


def test_curriculum_widens_on_success_and_clips_to_target() -> None:
    cfg = CurriculumConfig(start_speed_range_mps=(1.1, 1.3), start_slope_range_deg=(0.0, 0.0), speed_step_mps=0.2,
                           slope_step_deg=5.0, success_s=20.0, success_rate=0.5, window_episodes=4)
    cur = Curriculum(cfg, ConditionConfig(speed_range_mps=(0.8, 1.6), slope_range_deg=(-10.0, 10.0)))
    # 1 of 4 succeeds (a 20 s episode that fell does not count): no change.
    assert not cur.record(np.array([20.0, 20.0, 5.0, 3.0]), np.array([False, True, True, True]))
    assert cur.speed_range == (1.1, 1.3)
    assert cur.record(np.array([20.0, 20.0, 20.0, 1.0]), np.array([False, False, False, True]))
    assert cur.speed_range == pytest.approx((0.9, 1.5)) and cur.slope_range == (-5.0, 5.0) and cur.level == 1
    assert len(cur.window) == 0
    for _ in range(3):
        cur.record(np.full(4, 20.0), np.zeros(4, bool))
    assert cur.speed_range == (0.8, 1.6) and cur.slope_range == (-10.0, 10.0) and cur.complete
    state = cur.state_dict()
    other = Curriculum(cfg, ConditionConfig(speed_range_mps=(0.8, 1.6), slope_range_deg=(-10.0, 10.0)))
    other.load_state_dict(state)
    assert other.state_dict() == state


def test_gait_features_hand_computed() -> None:
    # 40 Hz, 1 m/s; each foot: 40-sample strides (1 s), loaded for the first 24 samples (60 %);
    # right foot half a stride later. Hip = 0.4 sin, knee = -0.5 (1 - cos) over each stride.
    dt, n = 0.025, 240
    t = np.arange(n) * dt
    grf = np.zeros((n, 2))
    for foot, shift in ((0, 0), (1, 20)):
        k = (np.arange(n) - shift) % 40
        grf[:, foot] = np.where(k < 24, 800.0, 0.0)
    phase = 2 * np.pi * t
    hip = np.stack([0.4 * np.sin(phase), 0.4 * np.sin(phase + np.pi)], axis=1)
    knee = np.stack([-0.5 * (1 - np.cos(phase)), -0.5 * (1 - np.cos(phase + np.pi))], axis=1)
    f = gait_features(dt, 1.0 * t, grf, weight_n=800.0, hip_rad=hip, knee_rad=knee, threshold_bw=0.05, skip_strides=0)
    assert f["stride_frequency_hz"] == pytest.approx(1.0)
    assert f["step_length_m"] == pytest.approx(0.5)
    assert f["stance_fraction"] == pytest.approx(0.6)
    assert f["peak_grf_bw"] == pytest.approx(1.0)
    assert f["hip_rom_deg"] == pytest.approx(np.rad2deg(0.8), rel=0.02)
    assert f["knee_rom_deg"] == pytest.approx(np.rad2deg(1.0), rel=0.02)
    assert in_normal_range("stance_fraction", f["stance_fraction"])
    assert np.isnan(f["pelvis_tilt_rom_deg"])  # no pelvis signal given
    pitch = 0.05 + 0.03 * np.sin(2 * phase)  # two tilt cycles per stride, 0.06 rad peak to peak
    tilt = gait_features(dt, t, grf, 800.0, hip, knee, pelvis_pitch_rad=pitch, skip_strides=0)["pelvis_tilt_rom_deg"]
    assert tilt == pytest.approx(np.rad2deg(0.06), rel=0.02) and in_normal_range("pelvis_tilt_rom_deg", tilt)
    impact = grf.copy()
    impact[40, 0] = 4 * 800.0  # one of the 9 strides lands with 4 BW, the other 8 with 1
    assert gait_features(dt, t, impact, 800.0, hip, knee, skip_strides=0)["peak_grf_bw"] == pytest.approx((4 + 8) / 9)
    chatter = grf.copy()
    chatter[45, 0] = 0.0  # a one-sample unloading 5 samples after the heel strike at 40 is not a stride
    assert gait_features(dt, t, chatter, 800.0, hip, knee, skip_strides=0)["stride_frequency_hz"] == pytest.approx(1.0)
    none = gait_features(dt, t, np.zeros((n, 2)), 800.0, hip, knee)
    assert np.isnan(none["stride_frequency_hz"]) and none["strides"] == 0


def test_config_rejects_unknown_and_out_of_range(tmp_path: Path) -> None:
    cfg = load_train_config(REPO / "config" / "train" / "stage1_sagittal.yaml")
    assert cfg.stage == "no_exo" and cfg.env.body.name == "myolegs26_sagittal"
    assert load_train_config(REPO / "config" / "train" / "stage2_sagittal.yaml").stage == "assist"
    bad = tmp_path / "bad.yaml"
    bad.write_text("teacher_training:\n  ros__parameters:\n    ppo: {learning_rat: 0.1}\n")
    with pytest.raises(ConfigError, match="learning_rat"):
        load_train_config(bad)
    bad.write_text("teacher_training:\n  ros__parameters:\n    randomization: {friction: [1.2, 0.7]}\n")
    with pytest.raises(ConfigError, match="min > max"):
        load_train_config(bad)


@pytest.fixture(scope="module")
def env():
    from exo_sim.env import EnvConfig, WalkVecEnv
    from exo_sim.models import BodyConfig

    e = WalkVecEnv(EnvConfig(body=BodyConfig(name="myolegs26_sagittal")), 3, nthread=1, autoreset=False)
    yield e
    e.close()


def test_projector_and_action_map_round_trip(env) -> None:
    from exo_sim.learning.reflex import INITIAL, ExcitationProjector, ReflexController
    from exo_sim.learning.vec_adapter import ActionMap

    obs, _ = env.reset(seed=0)
    proj = ExcitationProjector(env)
    rng = np.random.default_rng(0)
    syn = rng.uniform(0, 0.3, (3, env.synergy.shape[1]))
    e = syn @ env.synergy.T  # in the synergy span and below 1: reproduced exactly
    assert e.max() < 1.0
    np.testing.assert_allclose(proj.excitation(proj(e)), e, atol=1e-9)
    off_span = e + rng.uniform(-0.05, 0.05, e.shape)  # small off-span parts go through the residual
    np.testing.assert_allclose(proj.excitation(proj(np.clip(off_span, 0, 1))), np.clip(off_span, 0, 1), atol=1e-9)
    u = ReflexController(env)(obs, INITIAL)
    assert u.shape == (3, len(env.index.muscles)) and (u >= 0).all() and (u <= 1).all()
    amap = ActionMap(env.act_layout, 0.5, 0.1)
    a = rng.uniform(-1, 1, (3, env.act_layout.size))
    np.testing.assert_allclose(amap.to_env(amap.to_policy(a)), a)


def test_speed_command_offset_is_the_node_at_the_shifted_command(env) -> None:
    from exo_sim.learning.reflex import INITIAL, SPEED_OFFSET_NAMES, ReflexController, from_dict, to_dict
    from exo_sim.learning.reflex_tune import ReflexTuneConfig, searched_param

    obs, _ = env.reset(seed=0, options={"speed_mps": 1.6})
    v = env.obs_layout.slices()["target_speed_mps"]
    ctrl = ReflexController(env)
    # Every speed term on (as a node tuned with them): the offset must reach all of them.
    base = {**to_dict(INITIAL), "sw_speed_gain": 0.3, "sw_target_speed": -0.7, "lean_ref_speed": 0.2, "lean_vfb": 0.1,
            "sol_speed": 0.4, "glu_speed": 0.3}
    at_16 = ctrl(obs, from_dict(base))
    slow = obs.copy()
    slow[:, v] = 0.8
    # Equal up to the float32 rounding of the observed command (1.6 against 0.8 + 0.8).
    np.testing.assert_allclose(ctrl(slow, from_dict({**base, "speed_cmd_offset": 0.8})), at_16, rtol=0, atol=1e-6)
    assert not np.allclose(ctrl(slow, from_dict(base)), at_16)  # without it the command does matter
    assert to_dict(INITIAL)["speed_cmd_offset"] == 0.0  # older files: the command as given
    for flag in (False, True):
        cfg = ReflexTuneConfig(env=env.cfg, speeds_mps=(1.0,), seeds=(0,), duration_s=0.05, popsize=4, speed_cmd_offset=flag)
        assert all(searched_param(cfg, n) == flag for n in SPEED_OFFSET_NAMES)


def test_mirror_augment_is_an_involution(env) -> None:
    from exo_sim.learning.vec_adapter import OBS_GROUP, mirror_augment

    class _E:
        obs_perm, obs_sign = (torch.as_tensor(x) for x in env.obs_layout.mirror_map())
        act_perm, act_sign = (torch.as_tensor(x) for x in env.act_layout.mirror_map())

    x = torch.randn(5, env.obs_layout.size)
    a = torch.randn(5, env.act_layout.size)
    obs2, act2 = mirror_augment(_E(), TensorDict({OBS_GROUP: x}, batch_size=[5]), a)  # type: ignore[arg-type]
    assert obs2 is not None and act2 is not None
    obs4, act4 = mirror_augment(_E(), TensorDict({OBS_GROUP: obs2[OBS_GROUP][5:]}, batch_size=[5]), act2[5:])  # type: ignore[arg-type]
    assert obs4 is not None and act4 is not None
    torch.testing.assert_close(obs4[OBS_GROUP][5:], x)
    torch.testing.assert_close(act4[5:], a)
    assert not torch.equal(obs2[OBS_GROUP][5:], x)


def test_exo_only_action_map_passes_nothing_but_the_exo(env) -> None:
    from exo_sim.learning.vec_adapter import ActionMap

    amap = ActionMap(env.act_layout, 0.5, 0.1, muscles=False)
    assert amap.policy_size == 2 and amap.policy_exo == slice(0, 2)
    a = amap.to_env(np.array([[1.0, -0.5], [0.2, 0.4]]))
    exo = np.zeros(env.act_layout.size, dtype=bool)
    exo[env.exo_action_slice] = True
    np.testing.assert_array_equal(a[:, ~exo], 0.0)  # muscles stay with the base controller
    np.testing.assert_allclose(a[:, exo], [[0.5, -0.25], [0.1, 0.2]])
    np.testing.assert_allclose(amap.to_policy(a), [[1.0, -0.5], [0.2, 0.4]])
    full = ActionMap(env.act_layout, 0.5, 0.1)
    assert full.policy_size == env.act_layout.size and full.policy_exo == env.exo_action_slice


def test_reflex_tune_config_and_stage_configs_load() -> None:
    from exo_sim.learning.distill import DistillConfig
    from exo_sim.learning.reflex_tune import load_reflex_tune_config

    tune = load_reflex_tune_config(REPO / "config" / "train" / "reflex_160.yaml")
    assert tune.env.base_ticks == 4 and tune.env.start.enabled
    for path in sorted((REPO / "config" / "train").glob("reflex*.yaml")):  # every committed tuning config is valid
        load_reflex_tune_config(path)
    s1 = load_train_config(REPO / "config" / "train" / "stage1_reflex160.yaml")
    s2 = load_train_config(REPO / "config" / "train" / "stage2_reflex160.yaml")
    assert (s1.stage, s2.stage) == ("no_exo", "assist") and not s2.policy.muscle_residual
    assert s1.env.base_hz == s2.env.base_hz == tune.env.base_hz
    from exo_sim.learning.train_config import PolicyConfig

    with pytest.raises(ValueError, match="reflex_base"):
        PolicyConfig(muscle_residual=False)
    with pytest.raises(ValueError, match="pair up"):
        DistillConfig(held_out_speeds_mps=(1.0, 1.2), held_out_slopes_deg=(0.0,))


def test_reflex_tuning_runs_resumes_and_compares_candidates_fairly(tmp_path: Path) -> None:
    import json

    from exo_sim.env import EnvConfig, WalkVecEnv
    from exo_sim.env.config import StartPoseConfig
    from exo_sim.learning.reflex import INITIAL, ExcitationProjector, ReflexController
    from exo_sim.learning.reflex_tune import ReflexTuneConfig, rollout_cost, tune
    from exo_sim.models import BodyConfig

    env_cfg = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"), exo_mode="no_exo", base_hz=160.0,
                        init_joint_noise_rad=0.0, start=StartPoseConfig(enabled=True))
    cfg = ReflexTuneConfig(env=env_cfg, speeds_mps=(1.2,), slopes_deg=(0.0, 5.0), seeds=(0,), duration_s=0.5,
                           popsize=4, generations=2, action_noise_std=0.02)
    # Identical candidates from one start under one noise sequence score identically.
    env = WalkVecEnv(env_cfg, 4, nthread=1, autoreset=False)
    cost, info = rollout_cost(env, ReflexController(env), ExcitationProjector(env), np.tile(INITIAL, (4, 1)), cfg, 1.2, 0)
    assert np.all(cost == cost[0]) and np.all(info["t_alive_s"] == info["t_alive_s"][0])
    again, _ = rollout_cost(env, ReflexController(env), ExcitationProjector(env), np.tile(INITIAL, (4, 1)), cfg, 1.2, 0)
    np.testing.assert_array_equal(cost, again)
    # The trunk term adds trunk_weight x the spread of the pelvis pitch (rad) while alive.
    trunk = dataclasses.replace(cfg, trunk_weight=10.0)
    with_trunk, _ = rollout_cost(env, ReflexController(env), ExcitationProjector(env), np.tile(INITIAL, (4, 1)), trunk, 1.2, 0)
    assert 0.0 < info["pitch_sd_rad"][0] < 0.5
    np.testing.assert_allclose(with_trunk, cost + 10.0 * info["pitch_sd_rad"])
    # cost_speed_mps moves only the cost's target speed: same physics, the progress and speed terms
    # scored against 0.5 m/s instead of the commanded 1.2 m/s.
    slow = dataclasses.replace(cfg, cost_speed_mps=0.5)
    at_slow, slow_info = rollout_cost(env, ReflexController(env), ExcitationProjector(env), np.tile(INITIAL, (4, 1)), slow, 1.2, 0)
    np.testing.assert_array_equal(slow_info["speed_mps"], info["speed_mps"])
    distance = info["speed_mps"] * info["t_alive_s"]

    def target_terms(v_target: float) -> np.ndarray:
        progress = np.clip(distance, 0.0, v_target * cfg.duration_s) / (v_target * cfg.duration_s)
        return cfg.progress_weight * (1.0 - progress) + cfg.speed_weight * np.minimum(np.abs(info["speed_mps"] - v_target), 1.5)

    np.testing.assert_allclose(at_slow - cost, target_terms(0.5) - target_terms(1.2), atol=1e-9)
    assert not np.allclose(at_slow, cost)
    with pytest.raises(ValueError, match="cost_speed_mps"):
        dataclasses.replace(cfg, cost_speed_mps=0.1)
    # The speed floor charges only the speed below v* - tol, per m/s, and the ceiling only the speed above v* + tol:
    # nothing when v* is the run's own speed, the whole gap past the tolerance when v* is 0.3 m/s above it (floor)
    # or 0.15 m/s below it (ceiling).
    v_run = float(info["speed_mps"][0])
    assert v_run > 0.45  # so that v* = v_run - 0.15 is a valid cost speed
    for weight, tol, tol_mps, offset in (("speed_floor_weight", "speed_floor_tol_mps", 0.02, 0.3),
                                         ("speed_ceiling_weight", "speed_ceiling_tol_mps", 0.03, -0.15)):
        for v_target, gap in ((v_run, 0.0), (v_run + offset, abs(offset) - tol_mps)):
            charged = dataclasses.replace(cfg, cost_speed_mps=v_target, **{weight: 50.0, tol: tol_mps})
            free = dataclasses.replace(charged, **{weight: 0.0})
            with_term, _ = rollout_cost(env, ReflexController(env), ExcitationProjector(env), np.tile(INITIAL, (4, 1)), charged, 1.2, 0)
            without, _ = rollout_cost(env, ReflexController(env), ExcitationProjector(env), np.tile(INITIAL, (4, 1)), free, 1.2, 0)
            np.testing.assert_allclose(with_term - without, 50.0 * gap, atol=1e-9, err_msg=weight)
    with pytest.raises(ValueError, match="speed_floor_tol_mps"):
        dataclasses.replace(cfg, speed_floor_tol_mps=-0.1)
    with pytest.raises(ValueError, match="speed_ceiling_tol_mps"):
        dataclasses.replace(cfg, speed_ceiling_tol_mps=0.6)
    assert env.base is None  # the tuning removes its base controller afterwards
    env.close()

    best = tune(cfg, tmp_path / "run")
    assert best["generation"] >= 1 and np.isfinite(best["cost"])
    tune(cfg, tmp_path / "run", resume=True, generations=1)
    rows = (tmp_path / "run" / "progress.csv").read_text().strip().splitlines()
    assert len(rows) == 1 + 3 and rows[-1].startswith("3,")
    assert set(json.loads((tmp_path / "run" / "best.json").read_text())["params"]) >= {"sw_lean_comp", "lean_ref_slope"}
    with pytest.raises(FileExistsError):
        tune(cfg, tmp_path / "run")


def test_trunk_support_falls_to_zero_and_best_counts_only_the_current_support(tmp_path: Path) -> None:
    import json

    from exo_sim.env import EnvConfig
    from exo_sim.env.config import StartPoseConfig
    from exo_sim.learning.reflex_tune import ReflexTuneConfig, slope_approach, trunk_support, tune
    from exo_sim.models import BodyConfig

    env_cfg = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"), exo_mode="no_exo", base_hz=160.0,
                        init_joint_noise_rad=0.0, start=StartPoseConfig(enabled=True))
    cfg = ReflexTuneConfig(env=env_cfg, speeds_mps=(1.2,), seeds=(0,), duration_s=0.3, popsize=4, generations=2,
                           trunk_support_nm_per_rad=100.0, trunk_support_nm_s_per_rad=10.0, trunk_support_generations=4)
    assert [trunk_support(cfg, g) for g in (1, 3, 5, 9)] == [(100.0, 10.0), (50.0, 5.0), (0.0, 0.0), (0.0, 0.0)]
    assert trunk_support(ReflexTuneConfig(env=env_cfg), 1) == (0.0, 0.0)
    with pytest.raises(ValueError, match="trunk_support_generations > 0"):
        dataclasses.replace(cfg, trunk_support_generations=0)
    ramp = dataclasses.replace(cfg, slope_level_s=2.0, slope_ramp_s=4.0, slope_approach_generations=2)
    assert [slope_approach(ramp, g) for g in (1, 2, 3)] == [(2.0, 4.0), (1.0, 2.0), (0.0, 0.0)]
    with pytest.raises(ValueError, match="slope_approach_generations > 0"):
        dataclasses.replace(ramp, slope_approach_generations=0)
    # Generation 1 is supported, generation 2 is not: the unsupported generation's best replaces it
    # whatever the costs (an unaided walker is never compared with an aided one).
    tune(dataclasses.replace(cfg, trunk_support_generations=1), tmp_path / "run")
    best = json.loads((tmp_path / "run" / "best.json").read_text())
    assert best["generation"] == 2 and best["aids"] == [0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
    with (tmp_path / "run" / "progress.csv").open() as f:
        assert [float(r["trunk_support_nm_per_rad"]) for r in csv.DictReader(f)] == [100.0, 0.0]


def test_fresh_starts_are_drawn_per_generation_clear_of_held_out_starts_and_replace_the_best(tmp_path: Path) -> None:
    import json

    from exo_sim.env import EnvConfig
    from exo_sim.env.config import StartPoseConfig
    from exo_sim.learning.reflex import NAMES, from_dict, from_unit
    from exo_sim.learning.reflex_tune import (
        FRESH_START_FIRST,
        ReflexTuneConfig,
        fresh_start_seeds,
        searched_param,
        tune,
    )
    from exo_sim.models import BodyConfig

    env_cfg = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"), exo_mode="no_exo", base_hz=160.0,
                        init_joint_noise_rad=0.0, start=StartPoseConfig(enabled=True))
    fixed = ReflexTuneConfig(env=env_cfg, speeds_mps=(1.2,), seeds=(3, 4), duration_s=0.3, popsize=4, generations=2)
    assert fresh_start_seeds(fixed, 1) == fresh_start_seeds(fixed, 7) == (3, 4)
    cfg = dataclasses.replace(fixed, fresh_starts=3)
    draws = [fresh_start_seeds(cfg, g) for g in range(1, 41)]
    assert all(len(set(d)) == 3 and min(d) >= FRESH_START_FIRST for d in draws)
    assert len(set(draws)) == 40  # new starts every generation
    assert fresh_start_seeds(cfg, 5) == draws[4]  # the same on a resume
    assert fresh_start_seeds(dataclasses.replace(cfg, seed=1), 5) != draws[4]
    with pytest.raises(ValueError, match="fresh_starts"):
        dataclasses.replace(fixed, fresh_starts=-1)
    # Each generation's best replaces the last whatever its cost; mean.json holds the search's mean.
    tune(cfg, tmp_path / "run")
    best = json.loads((tmp_path / "run" / "best.json").read_text())
    mean = json.loads((tmp_path / "run" / "mean.json").read_text())
    assert best["generation"] == mean["generation"] == 2
    with (tmp_path / "run" / "progress.csv").open() as f:
        assert best["cost"] == pytest.approx(float(list(csv.DictReader(f))[-1]["gen_best_cost"]))
    es = pickle.loads((tmp_path / "run" / "es.pkl").read_bytes())
    x = np.zeros(len(NAMES))  # unit coordinates; the run started from the built-in guess (0)
    x[[searched_param(cfg, n) for n in NAMES]] = es.mean
    np.testing.assert_allclose(from_dict(mean["params"]), from_unit(x))
    tune(fixed, tmp_path / "fixed")
    assert not (tmp_path / "fixed" / "mean.json").exists()


def test_progress_csv_of_a_resumed_run_gains_new_columns_without_shifting_values(tmp_path: Path) -> None:
    from exo_sim.learning.reflex_tune import _append_csv

    path = tmp_path / "progress.csv"
    path.write_text("generation,best_cost\n1,9.5\n")  # written by code that logged fewer columns
    _append_csv(path, {"generation": 2, "best_cost": 8.0, "slope_ramp_s": 1.5})
    _append_csv(path, {"generation": 3, "best_cost": 7.0, "slope_ramp_s": 0.0})
    with path.open() as f:
        rows = list(csv.DictReader(f))
    assert [r["best_cost"] for r in rows] == ["9.5", "8.0", "7.0"]
    assert [r["slope_ramp_s"] for r in rows] == ["", "1.5", "0.0"]


def test_held_base_is_recomputed_every_nth_call() -> None:
    from exo_sim.learning.reflex import ReflexBase

    seen: list[float] = []

    def base(obs: np.ndarray) -> np.ndarray:
        seen.append(float(obs[0, 0]))
        return obs * 2.0

    held = ReflexBase.hold(base, 4)
    out = [float(held(np.array([[float(i)]]))[0, 0]) for i in range(9)]
    assert seen == [0.0, 4.0, 8.0]  # a 40 Hz base in a 160 Hz env
    assert out == [0.0] * 4 + [8.0] * 4 + [16.0]


def test_assistance_profile_pulses_and_frames() -> None:
    from exo_sim.env import EnvConfig, WalkVecEnv
    from exo_sim.learning import assist_profile as ap
    from exo_sim.models import BodyConfig

    theta = ap.from_dict({"ext_nm": 5.0, "ext_phase": 0.15, "flex_nm": 3.0, "flex_phase": 0.6, "width": 0.05})
    phase = np.linspace(0.0, 0.99, 100)
    tau = ap.hip_torque_nm(phase, theta)
    assert phase[np.argmin(tau)] == pytest.approx(0.15) and tau.min() == pytest.approx(-5.0, abs=1e-3)
    assert phase[np.argmax(tau)] == pytest.approx(0.6) and tau.max() == pytest.approx(3.0, abs=1e-3)
    # Wrapped phase: a pulse centred near the stride's end reaches across heel strike.
    late = ap.from_dict({"ext_nm": 0.0, "flex_nm": 1.0, "flex_phase": 0.9, "width": 0.2})
    assert ap.hip_torque_nm(np.array([0.02]), late)[0] == pytest.approx(ap.hip_torque_nm(np.array([0.78]), late)[0])
    with pytest.raises(ValueError, match="unknown assistance profile parameter"):
        ap.from_dict({"peak": 1.0})

    env = WalkVecEnv(EnvConfig(body=BodyConfig(name="myolegs26_sagittal"), exo_mode="assist"), 2, nthread=1, autoreset=False)
    env.reset(seed=0)
    env.phase[:] = [0.15, 0.65]  # env 1 is in the mirrored half of the stride
    a = ap.exo_action(env, theta)
    physical = env.to_physical(a)[:, env.exo_action_slice] * env.cfg.exo.torque_limit_nm  # (left, right), Nm
    for i, ph in enumerate(env.phase):
        expected = [ap.hip_torque_nm(np.array([(ph + 0.5) % 1.0]), theta)[0], ap.hip_torque_nm(np.array([ph]), theta)[0]]
        np.testing.assert_allclose(physical[i], expected, atol=1e-9)
    assert np.count_nonzero(a[:, :env.exo_action_slice.start]) == 0  # the profile touches only the exo
    env.close()


def test_reflex_tuning_co_tunes_an_assistance_profile(tmp_path: Path) -> None:
    import json

    from exo_sim.env import EnvConfig
    from exo_sim.env.config import StartPoseConfig
    from exo_sim.learning.reflex_tune import ReflexTuneConfig, tune
    from exo_sim.models import BodyConfig

    env_cfg = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"), exo_mode="assist", base_hz=160.0,
                        init_joint_noise_rad=0.0, start=StartPoseConfig(enabled=True))
    cfg = ReflexTuneConfig(env=env_cfg, speeds_mps=(1.2,), seeds=(0,), duration_s=0.3, popsize=4, generations=1,
                           assist_profile=True)
    best = tune(cfg, tmp_path / "run")
    saved = json.loads((tmp_path / "run" / "best.json").read_text())
    assert set(saved["assist"]) == {"ext_nm", "ext_phase", "flex_nm", "flex_phase", "width"} and best["assist"] == saved["assist"]
    with pytest.raises(ValueError, match="assist_profile must stay as the run started"):
        tune(dataclasses.replace(cfg, env=dataclasses.replace(env_cfg, exo_mode="no_exo"), assist_profile=False),
             tmp_path / "run", resume=True)
    with pytest.raises(ValueError, match="assist_profile needs env.exo_mode: assist"):
        dataclasses.replace(cfg, env=dataclasses.replace(env_cfg, exo_mode="no_exo"))


def test_teacher_reflex_base_refuses_a_file_with_an_assistance_profile(tmp_path: Path) -> None:
    import json

    from exo_sim.env import EnvConfig, WalkVecEnv
    from exo_sim.learning.reflex import ReflexBase
    from exo_sim.models import BodyConfig

    best = json.loads((REPO / "artifacts" / "teacher" / "fixed_person_assist.json").read_text())
    (tmp_path / "assisted.json").write_text(json.dumps(best))
    env = WalkVecEnv(EnvConfig(body=BodyConfig(name="myolegs26_sagittal")), 1, nthread=1, autoreset=False)
    with pytest.raises(ValueError, match="has an assistance profile"):
        ReflexBase.from_file(tmp_path / "assisted.json", env)
    assert ReflexBase.from_file(REPO / "artifacts" / "teacher" / "reflex_160.json", env).profile is None
    env.close()


def test_learning_curves_plot_cma_runs_with_their_trunk_support(tmp_path: Path) -> None:
    import matplotlib.image

    from exo_sim.learning.plots import plot_learning_curves

    tuning = REPO / "artifacts" / "teacher" / "tuning"
    out = plot_learning_curves([tuning / "upright_a", tuning / "reflex_160"], tmp_path / "curves.png")
    h, w = matplotlib.image.imread(out).shape[:2]
    assert w > 1.8 * h  # two panels side by side: CMA-ES cost, trunk
    with pytest.raises(FileNotFoundError, match="no metrics.csv or progress.csv"):
        plot_learning_curves([tmp_path], tmp_path / "none.png")


def test_hip_extension_limit_widens_only_after_generations_that_walk(tmp_path: Path) -> None:
    import json

    from exo_sim.env import EnvConfig, WalkVecEnv
    from exo_sim.env.config import StartPoseConfig
    from exo_sim.learning.reflex_tune import ReflexTuneConfig, tune
    from exo_sim.models import BodyConfig

    env_cfg = EnvConfig(body=BodyConfig(name="myolegs26_sagittal", hip_extension_limit_deg=21.0), exo_mode="no_exo",
                        base_hz=160.0, init_joint_noise_rad=0.0, start=StartPoseConfig(enabled=True))
    env = WalkVecEnv(env_cfg, 2, autoreset=False)
    try:
        assert env.hip_extension_limit_deg == pytest.approx(21.0)
        env.set_hip_extension_limit_deg(27.5)
        assert all(np.degrees(m.jnt_range[m.joint(j).id, 0]) == pytest.approx(-27.5)
                   for m in env.physics.models for j in ("hip_flexion_l", "hip_flexion_r"))
        for bad in (float("nan"), 2.0, 45.0):
            with pytest.raises(ValueError, match="hip extension limit"):
                env.set_hip_extension_limit_deg(bad)
    finally:
        env.close()
    cfg = ReflexTuneConfig(env=env_cfg, speeds_mps=(1.0,), seeds=(0,), duration_s=0.05, popsize=4, generations=3,
                           hip_extension_limit_target_deg=24.0, hip_extension_limit_step_deg=1.5)
    tune(cfg, tmp_path / "walks")  # 0.05 s runs: every generation walks to the end
    with (tmp_path / "walks" / "progress.csv").open() as f:
        assert [float(r["hip_extension_limit_deg"]) for r in csv.DictReader(f)] == pytest.approx([21.0, 22.5, 24.0])
    assert json.loads((tmp_path / "walks" / "curriculum.json").read_text())["hip_extension_limit_deg"] == 24.0  # capped
    assert json.loads((tmp_path / "walks" / "ready.json").read_text())["aids"][-1] == 24.0  # the limit it walked under
    # A generation that does not walk keeps the limit; a resume goes on from the limit the run reached.
    stuck = dataclasses.replace(cfg, duration_s=8.0, generations=1, stall_fraction=0.9, stall_after_s=0.1)
    tune(stuck, tmp_path / "stuck")
    assert json.loads((tmp_path / "stuck" / "curriculum.json").read_text())["hip_extension_limit_deg"] == 21.0
    tune(dataclasses.replace(cfg, generations=1), tmp_path / "walks", resume=True)
    with (tmp_path / "walks" / "progress.csv").open() as f:
        assert float(list(csv.DictReader(f))[-1]["hip_extension_limit_deg"]) == 24.0
    with pytest.raises(ValueError, match="only widens"):
        dataclasses.replace(cfg, hip_extension_limit_target_deg=20.0)
    # Off, the aids keep their old layout (older runs resume unchanged).
    tune(dataclasses.replace(cfg, hip_extension_limit_target_deg=None, generations=1), tmp_path / "off")
    assert len(json.loads((tmp_path / "off" / "best.json").read_text())["aids"]) == 11


def test_hip_extension_limit_moment_is_the_stops_flexion_moment_and_its_cost_is_weighted() -> None:
    from exo_sim.env import EnvConfig, WalkVecEnv
    from exo_sim.env.config import StartPoseConfig
    from exo_sim.learning.reflex import INITIAL, ExcitationProjector, ReflexController
    from exo_sim.learning.reflex_tune import ReflexTuneConfig, rollout_cost
    from exo_sim.models import BodyConfig

    env_cfg = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"), exo_mode="no_exo", base_hz=160.0,
                        init_joint_noise_rad=0.0, start=StartPoseConfig(enabled=True))
    env = WalkVecEnv(env_cfg, 2, autoreset=False)
    try:
        env.reset(seed=0, options={"speed_mps": 1.0, "slope_deg": 0.0, "start_seed": 0})
        for i, d in enumerate(env.physics.datas):  # env 0: left hip pushed 10 deg past its 20 deg stop; env 1: as started
            if i == 0:
                d.qpos[env.physics.models[i].joint("hip_flexion_l").qposadr[0]] = -np.radians(30.0)
            d.qvel[:] = 0.0
        env.physics.step(np.zeros((2, env.physics.models[0].nu)), 1)
        m = env.hip_extension_limit_moment_nm()
        assert m[0, 0] > 50.0 and m[0, 1] == 0.0  # the stop pushes the left hip back toward flexion
        assert np.all(m >= 0.0)
        env.set_hip_extension_limit_deg(40.0)
        env.physics.step(np.zeros((2, env.physics.models[0].nu)), 1)
        assert env.hip_extension_limit_moment_nm()[0, 0] == 0.0  # 30 deg is inside a 40 deg stop
        env.set_hip_extension_limit_deg(20.0)
        ctrl, proj = ReflexController(env), ExcitationProjector(env)
        params = np.tile(INITIAL, (2, 1))
        base = ReflexTuneConfig(env=env_cfg, speeds_mps=(1.0,), seeds=(0,), duration_s=0.5, popsize=4)
        cost0, info0 = rollout_cost(env, ctrl, proj, params, base, 1.0, 0)
        assert np.all(info0["hip_limit_nm_per_kg"] == 0.0)  # off: not measured
        weighted = dataclasses.replace(base, hip_limit_weight=10.0)
        cost1, info1 = rollout_cost(env, ctrl, proj, params, weighted, 1.0, 0)
        assert np.all(info1["hip_limit_nm_per_kg"] > 0.0)  # the trailing hip of the start reaches its stop
        np.testing.assert_allclose(cost1 - cost0, 10.0 * info1["hip_limit_nm_per_kg"], atol=1e-9)
    finally:
        env.close()


def test_impact_cost_charges_the_vertical_ground_force_above_its_threshold() -> None:
    from exo_sim.env import EnvConfig, WalkVecEnv
    from exo_sim.env.config import StartPoseConfig
    from exo_sim.learning.reflex import INITIAL, ExcitationProjector, ReflexController
    from exo_sim.learning.reflex_tune import ReflexTuneConfig, rollout_cost
    from exo_sim.models import BodyConfig

    env_cfg = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"), exo_mode="no_exo", base_hz=160.0,
                        init_joint_noise_rad=0.0, start=StartPoseConfig(enabled=True))
    env = WalkVecEnv(env_cfg, 2, autoreset=False)
    try:
        ctrl, proj = ReflexController(env), ExcitationProjector(env)
        params = np.tile(INITIAL, (2, 1))
        base = ReflexTuneConfig(env=env_cfg, speeds_mps=(1.0,), seeds=(0,), duration_s=0.5, popsize=4)
        cost0, info0 = rollout_cost(env, ctrl, proj, params, base, 1.0, 0)
        low = dataclasses.replace(base, impact_threshold_bw=0.5)
        _, info_low = rollout_cost(env, ctrl, proj, params, low, 1.0, 0)
        # Half a second of landing from the start: the feet carry about a body weight between them, more at impact.
        assert np.all(info_low["impact_bw"] > info0["impact_bw"]) and np.all(info_low["impact_bw"] > 0.0)
        high = dataclasses.replace(base, impact_threshold_bw=10.0)
        assert np.all(rollout_cost(env, ctrl, proj, params, high, 1.0, 0)[1]["impact_bw"] == 0.0)
        weighted = dataclasses.replace(low, impact_weight=5.0)
        cost1, info1 = rollout_cost(env, ctrl, proj, params, weighted, 1.0, 0)
        np.testing.assert_allclose(cost1 - cost0, 5.0 * info1["impact_bw"], atol=1e-9)  # the rest of the cost unchanged
    finally:
        env.close()
