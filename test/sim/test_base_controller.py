"""The base controller (reflex layer) inside a policy step: same physics as running it as the policy
at its own rate, and the policy's action held across its ticks."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pytest

from exo_sim.env import EnvConfig, WalkVecEnv
from exo_sim.env.config import ActionConfig, StartPoseConfig
from exo_sim.learning.reflex import ExcitationProjector, ReflexController, from_dict
from exo_sim.models import BodyConfig, SimModel, build_model

ROOT = Path(__file__).resolve().parents[2]
CFG = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"), exo_mode="no_exo", init_joint_noise_rad=0.0,
                init_speed_fraction=0.8, start=StartPoseConfig(enabled=True),
                action=ActionConfig(residual=True, residual_scale=0.3, mirror=True))


@pytest.fixture(scope="module")
def sim() -> SimModel:
    return build_model(CFG.body, CFG.exo, timestep_s=CFG.timestep_s)


def _theta() -> np.ndarray:
    return from_dict(json.loads((ROOT / "artifacts/teacher/reflex_best.json").read_text())["params"])


def test_base_at_160hz_equals_reflex_as_a_160hz_policy(sim: SimModel) -> None:
    theta = _theta()
    fast = WalkVecEnv(dataclasses.replace(CFG, policy_hz=160.0, substeps=4), 2, nthread=1, autoreset=False, sim=sim)
    layered = WalkVecEnv(dataclasses.replace(CFG, base_hz=160.0), 2, nthread=1, autoreset=False, sim=sim)
    opts = {"speed_mps": 1.2, "slope_deg": 0.0, "start_seed": 3}
    obs, _ = fast.reset(seed=0, options=opts)
    layered.reset(seed=0, options=opts)
    ctrl, proj = ReflexController(fast), ExcitationProjector(fast)
    layered.set_base_controller(lambda o: proj(ctrl(o, theta)))
    zero = np.zeros((2, layered.act_layout.size))
    for _ in range(40):  # 1 s: both legs' stance and swing, phase mirroring included
        for _ in range(4):
            obs, *_ = fast.step(proj(ctrl(obs, theta)))
        layered.step(zero)
    np.testing.assert_array_equal(layered.physics.qpos, fast.physics.qpos)
    np.testing.assert_array_equal(layered.excitation, fast.excitation)
    assert layered.time_s[0] == pytest.approx(1.0) and layered.steps[0] == 40
    fast.close()
    layered.close()


def test_policy_action_is_held_and_added_to_the_base(sim: SimModel) -> None:
    cfg = dataclasses.replace(CFG, base_hz=160.0, exo_mode="assist", action=ActionConfig(mirror=False))
    env = WalkVecEnv(cfg, 1, nthread=1, autoreset=False, sim=sim)
    env.reset(seed=0)
    calls = []

    def base(obs: np.ndarray) -> np.ndarray:
        calls.append(obs.copy())
        a = np.zeros((1, env.act_layout.size))
        a[:, env.exo_action_slice] = 0.25
        return a

    env.set_base_controller(base)
    a = np.zeros((1, env.act_layout.size))
    a[:, env.exo_action_slice] = [0.5, 1.0]
    env.step(a)
    assert len(calls) == 4  # 160 Hz base under a 40 Hz policy
    assert not np.array_equal(calls[0], calls[-1])  # each tick sees the current state
    # policy + base, clipped to the action bounds, times the torque limit
    np.testing.assert_allclose(env.exo_torque_cmd[0], np.array([0.75, 1.0]) * cfg.exo.torque_limit_nm)
    env.close()


def test_base_rate_must_fit_the_policy_and_physics_rates() -> None:
    with pytest.raises(ValueError, match="base_hz"):
        EnvConfig(base_hz=100.0)  # not a multiple of 40 Hz
    with pytest.raises(ValueError, match="base_hz"):
        EnvConfig(base_hz=120.0, substeps=16)  # 3 ticks do not divide 16 substeps
    assert EnvConfig(base_hz=160.0).base_ticks == 4 and EnvConfig().base_ticks == 1


def test_propulsion_terms_push_harder_when_slower_than_commanded(sim: SimModel) -> None:
    """sol_speed / glu_speed: stance soleus, gastrocnemius and gluteus maximus rise by gain x (v* - v);
    swing muscles, and everything at the neutral gain 0, are untouched."""
    from exo_sim.learning.reflex import NAMES, to_dict

    env = WalkVecEnv(CFG, 1, nthread=1, autoreset=False, sim=sim)
    obs, _ = env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0, "start_seed": 3})
    sl = env.obs_layout.slices()
    obs = obs.astype(float)
    obs[:, sl["com_vel_mps"].start] = 0.7  # 0.5 m/s slower than commanded
    obs[:, sl["grf_per_bw"]] = 0.0
    obs[:, sl["grf_per_bw"].start + 5] = 0.9  # the right leg alone carries the body: stance
    ctrl = ReflexController(env)
    neutral = from_dict({n: 0.0 for n in NAMES if n.endswith("_p0")})  # low pre-stimulation: nothing clips
    push = from_dict({**to_dict(neutral), "sol_speed": 0.4, "glu_speed": 0.2})
    base_u, push_u = ctrl(obs, neutral)[0], ctrl(obs, push)[0]
    muscles = env.index.muscles
    change = {m: push_u[i] - base_u[i] for i, m in enumerate(muscles) if abs(push_u[i] - base_u[i]) > 1e-9}
    assert change.keys() == {"soleus_r", "gastroc_r", "glutmax_r"}
    assert change["soleus_r"] == pytest.approx(0.2) and change["gastroc_r"] == pytest.approx(0.2)
    assert change["glutmax_r"] == pytest.approx(0.1)
    env.close()


@pytest.mark.parametrize("swing_share", [0.0, 0.9])  # the trailing leg under the stance laws, or already the swing laws
def test_push_off_burst_in_trailing_double_support_only(sim: SimModel, swing_share: float) -> None:
    """sol_dsup: the trailing leg's soleus and gastrocnemius rise by the gain while both feet are down;
    the leading leg, single stance and the neutral gain 0 are untouched."""
    from exo_sim.learning.reflex import NAMES, to_dict

    env = WalkVecEnv(CFG, 1, nthread=1, autoreset=False, sim=sim)
    obs, _ = env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0, "start_seed": 3})
    sl = env.obs_layout.slices()
    double = obs.astype(float)
    double[:, sl["grf_per_bw"]] = 0.0
    double[:, sl["grf_per_bw"].start + 2] = 0.3  # left foot down, unloading
    double[:, sl["grf_per_bw"].start + 5] = 0.6  # right foot down, loading
    feet = sl["feet_rel_pelvis_m"].start
    double[:, feet], double[:, feet + 6] = -0.3, 0.3  # left heel behind the right: the left leg trails
    single = double.copy()
    single[:, sl["grf_per_bw"].start + 2] = 0.0  # left foot up
    ctrl = ReflexController(env)
    neutral = from_dict({**{n: 0.0 for n in NAMES if n.endswith("_p0")}, "swing_share": swing_share})
    burst = from_dict({**to_dict(neutral), "sol_dsup": 0.3})
    muscles = env.index.muscles
    for obs_case, expected in ((double, {"soleus_l", "gastroc_l"}), (single, set())):
        base_u, burst_u = ctrl(obs_case, neutral)[0], ctrl(obs_case, burst)[0]
        change = {m: burst_u[i] - base_u[i] for i, m in enumerate(muscles) if abs(burst_u[i] - base_u[i]) > 1e-9}
        assert change.keys() == expected
        assert all(v == pytest.approx(0.3) for v in change.values())
    env.close()


def test_hip_drive_yields_to_the_exo_torque_in_its_direction(sim: SimModel) -> None:
    """hip_yield_ext / hip_yield_flex: a leg's gluteus maximus and hamstrings lose gain x the extension
    torque its exo applies (fraction of torque_norm_nm), iliopsoas and rectus femoris gain x the flexion
    torque; the other leg's muscles, the other direction, zero torque and the neutral gain 0 are untouched."""
    from exo_sim.learning.reflex import NAMES, to_dict

    env = WalkVecEnv(CFG, 1, nthread=1, autoreset=False, sim=sim)
    obs, _ = env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0, "start_seed": 3})
    sl = env.obs_layout.slices()
    obs = obs.astype(float)
    obs[:, sl["grf_per_bw"]] = 0.0
    obs[:, sl["grf_per_bw"].start + 5] = 0.9  # right leg in stance, left in swing
    ctrl = ReflexController(env)
    # drives well inside [0, 1] (no swing PD or iliopsoas length feedback), so nothing clips
    base = from_dict({**{n: 0.0 for n in NAMES if n.endswith("_p0")}, "glu_p0": 0.4, "ham_p0": 0.4, "hfl_p0": 0.4,
                      "rf_swing": 0.4, "sw_kp": 0.0, "sw_kd": 0.0, "hfl_gl": 0.0, "hfl_lean": 0.0})
    yielding = from_dict({**to_dict(base), "hip_yield_ext": 0.5, "hip_yield_flex": 0.25})
    muscles = env.index.muscles

    def change(exo_left: float, exo_right: float) -> dict[str, float]:
        o = obs.copy()
        o[:, sl["exo_torque_norm"]] = (exo_left, exo_right)
        base_u, yield_u = ctrl(o, base)[0], ctrl(o, yielding)[0]
        assert np.allclose(base_u, ctrl(obs, base)[0])  # gain 0: the torque changes nothing
        return {m: yield_u[i] - base_u[i] for i, m in enumerate(muscles) if abs(yield_u[i] - base_u[i]) > 1e-9}

    assert change(0.0, 0.0) == {}
    flex_left_ext_right = change(0.4, -0.4)
    assert flex_left_ext_right.keys() == {"iliopsoas_l", "rectfem_l", "glutmax_r", "hamstrings_r"}
    assert flex_left_ext_right["iliopsoas_l"] == pytest.approx(-0.1) and flex_left_ext_right["rectfem_l"] == pytest.approx(-0.1)
    assert flex_left_ext_right["glutmax_r"] == pytest.approx(-0.2) and flex_left_ext_right["hamstrings_r"] == pytest.approx(-0.2)
    ext_left = change(-0.4, 0.0)
    assert ext_left.keys() == {"glutmax_l", "hamstrings_l"}
    assert all(v == pytest.approx(-0.2) for v in ext_left.values())
    env.close()
