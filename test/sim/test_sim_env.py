"""The walking env: API, layout, masking, determinism, batched == single."""

from __future__ import annotations

import dataclasses

import mujoco
import numpy as np
import pytest

from exo_sim.env import EnvConfig, WalkEnv, WalkVecEnv
from exo_sim.env.observations import GRF_Z, SensorColumns
from exo_sim.env.synergy import MODULES, synergy_matrix
from exo_sim.models import BodyConfig, SimModel, build_model

SAG = EnvConfig(body=BodyConfig(name="myolegs26_sagittal"))


@pytest.fixture(scope="module")
def sag_sim() -> SimModel:
    return build_model(SAG.body, SAG.exo, timestep_s=SAG.timestep_s)


def _rollout(env: WalkEnv, seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    obs, _ = env.reset(seed=seed)
    rng = np.random.default_rng(seed)
    out, rews = [obs], []
    for _ in range(n):
        a = rng.uniform(env.vec.single_action_space.low, env.vec.single_action_space.high)
        obs, r, term, trunc, _ = env.step(a)
        out.append(obs)
        rews.append(r)
        if term or trunc:
            break
    return np.array(out), np.array(rews)


def test_spaces_and_step(sag_sim: SimModel) -> None:
    env = WalkEnv(SAG, sim=sag_sim)
    obs, info = env.reset(seed=0)
    assert obs.shape == env.observation_space.shape and obs.dtype == np.float32
    assert env.action_space.low.shape == (2 * 5 + 26 + 2,)
    assert info["device"].shape == (22,)
    obs, r, term, trunc, info = env.step(env.action_space.sample())
    assert np.isfinite(obs).all() and np.isfinite(r)
    assert set(info["terms"]) == {"tracking", "joint_limit", "effort", "exo_effort", "exo_smoothness", "fall"}


def test_grf_z_columns_are_the_feet_vertical_forces(sag_sim: SimModel) -> None:
    ix = sag_sim.index
    grf = SensorColumns.from_index(ix).grf
    z_axis = 2  # each foot's force sensor reads x, y, z
    assert [grf.start + c for c in GRF_Z] == [ix.sensor("foot_l_force").start + z_axis, ix.sensor("foot_r_force").start + z_axis]


def test_same_seed_same_rollout(sag_sim: SimModel) -> None:
    env = WalkEnv(SAG, sim=sag_sim)
    o1, r1 = _rollout(env, 7, 30)
    o2, r2 = _rollout(env, 7, 30)
    np.testing.assert_array_equal(o1, o2)
    np.testing.assert_array_equal(r1, r2)
    o3, _ = _rollout(env, 8, 3)
    assert not np.array_equal(o1[0], o3[0])


def test_no_exo_mode_keeps_mass_but_zero_torque(sag_sim: SimModel) -> None:
    cfg = EnvConfig(body=SAG.body, exo_mode="no_exo")
    env = WalkVecEnv(cfg, 2, nthread=1, sim=sag_sim)
    env.reset(seed=1)
    a = np.ones((2, env.single_action_space.low.size))
    env.step(a)
    exo = env.obs_layout.slices()["exo_torque_norm"]
    obs, *_ = env.step(a)
    np.testing.assert_array_equal(obs[:, exo], 0.0)
    assert env.sim.total_mass_kg == pytest.approx(sag_sim.total_mass_kg)


def test_full_exo_action_gives_torque_limit(sag_sim: SimModel) -> None:
    env = WalkVecEnv(SAG, 1, nthread=1, sim=sag_sim)
    env.reset(seed=1)
    a = np.zeros((1, env.single_action_space.low.size))
    a[0, -2:] = (1.0, -0.5)
    env.step(a)
    np.testing.assert_allclose(env.physics.sensordata[0, env.cols.exo_torque], (15.0, -7.5))


def test_batched_threads_match_single_env(sag_sim: SimModel) -> None:
    vec = WalkVecEnv(SAG, 3, nthread=2, autoreset=False, sim=sag_sim)
    one = WalkVecEnv(SAG, 3, nthread=1, autoreset=False, sim=sag_sim)
    o1, _ = vec.reset(seed=4)
    o2, _ = one.reset(seed=4)
    rng = np.random.default_rng(0)
    for _ in range(5):
        a = rng.uniform(vec.single_action_space.low, vec.single_action_space.high, (3, vec.single_action_space.low.size))
        o1, *_ = vec.step(a)
        o2, *_ = one.step(a)
    np.testing.assert_array_equal(o1, o2)
    vec.close()


def test_rollout_backend_is_deterministic(sag_sim: SimModel) -> None:
    outs = []
    for _ in range(2):
        env = WalkVecEnv(SAG, 3, backend="rollout", nthread=2, autoreset=False, sim=sag_sim)
        env.reset(seed=5)
        a = np.full((3, env.single_action_space.low.size), 0.2)
        for _ in range(4):
            obs, *_ = env.step(a)
        outs.append(obs)
        env.close()
    np.testing.assert_array_equal(outs[0], outs[1])


def test_mirroring_swaps_sides_and_is_an_involution(sag_sim: SimModel) -> None:
    env = WalkVecEnv(SAG, 1, nthread=1, sim=sag_sim)
    perm, sign = env._obs_mirror
    x = np.random.default_rng(0).normal(size=len(perm))
    np.testing.assert_allclose((x[perm] * sign)[perm] * sign, x)
    ap, _ = env._act_mirror
    k = 5
    np.testing.assert_array_equal(ap[:k], np.arange(k, 2 * k))
    np.testing.assert_array_equal(ap[-2:], [ap.size - 1, ap.size - 2])


@pytest.mark.parametrize("k", sorted(MODULES))
def test_synergy_matrix_is_nonnegative_and_covers_every_muscle(sag_sim: SimModel, k: int) -> None:
    w = synergy_matrix(sag_sim.index.muscles, k)
    assert w.shape == (26, 2 * k) and (w >= 0).all()
    assert (w.sum(axis=1) > 0).all()
    left = [i for i, m in enumerate(sag_sim.index.muscles) if m.endswith("_l")]
    assert (w[left, k:] == 0).all()  # a left muscle is driven only by left modules


def test_fall_terminates_with_penalty(sag_sim: SimModel) -> None:
    env = WalkEnv(SAG, sim=sag_sim)
    env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0})
    for _ in range(200):  # no muscle activity: the body collapses
        _, r, term, trunc, info = env.step(np.zeros(env.action_space.low.shape))
        if term:
            break
    assert term and info["terms"]["fall"] == -250.0


def test_config_rejects_bad_values() -> None:
    with pytest.raises(ValueError, match="substeps"):
        EnvConfig(substeps=0)
    with pytest.raises(ValueError, match="speed_range_mps"):
        EnvConfig().conditions.__class__(speed_range_mps=(1.5, 0.7))


def test_start_pose_staggers_legs_on_the_ground(sag_sim: SimModel) -> None:
    from exo_sim.env.config import StartPoseConfig

    cfg = dataclasses.replace(SAG, init_joint_noise_rad=0.0,
                              start=StartPoseConfig(enabled=True, jitter_rad=0.0))
    env = WalkVecEnv(cfg, 3, nthread=1, autoreset=False, sim=sag_sim)
    env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 0.0, "start_seed": 7})
    m = env.sim.model
    hips = env.physics.qpos[:, [m.jnt_qposadr[m.joint(j).id] for j in ("hip_flexion_l", "hip_flexion_r")]]
    # One leg leads at +0.4 rad, the other trails at -0.28 rad; start_seed gives every env the same pose.
    np.testing.assert_allclose(np.sort(hips, axis=1), np.tile([-0.28, 0.4], (3, 1)), atol=1e-12)
    np.testing.assert_array_equal(env.physics.qpos[0], env.physics.qpos[2])
    # Lowered onto the ground: the lowest foot contact capsule is 1 mm up.
    from exo_sim.env.start_pose import StartPose

    assert StartPose(cfg.start, m, env.index).lowest_contact_z(env.physics.datas[0]) == pytest.approx(0.001, abs=1e-9)
    # Without start_seed each env draws its own leading side / jitter from its own stream.
    jit = dataclasses.replace(cfg, start=StartPoseConfig(enabled=True, jitter_rad=0.05))
    env2 = WalkVecEnv(jit, 3, nthread=1, autoreset=False, sim=sag_sim)
    env2.reset(seed=1)
    assert not np.allclose(env2.physics.qpos[0], env2.physics.qpos[1])
    env.close()
    env2.close()


def test_standing_start_is_the_default(sag_sim: SimModel) -> None:
    env = WalkVecEnv(SAG, 1, nthread=1, autoreset=False, sim=sag_sim)
    env.reset(seed=0)
    m = env.sim.model
    hips = env.physics.qpos[0, [m.jnt_qposadr[m.joint(j).id] for j in ("hip_flexion_l", "hip_flexion_r")]]
    assert np.all(np.abs(hips) < 0.05)
    env.close()


@pytest.mark.parametrize("body", ["myolegs26_sagittal", "myolegs26"])
def test_gravity_upright_start_leans_into_the_slope(body: str) -> None:
    from exo_sim.env.config import StartPoseConfig

    def lean_at_start(upright: bool, slope_deg: float) -> float:
        cfg = EnvConfig(body=BodyConfig(name=body), init_joint_noise_rad=0.0,
                        start=StartPoseConfig(enabled=True, jitter_rad=0.0, gravity_upright=upright))
        env = WalkVecEnv(cfg, 1, nthread=1, autoreset=False)
        obs, _ = env.reset(seed=0, options={"speed_mps": 1.0, "slope_deg": slope_deg, "start_seed": 0})
        q = obs[0, env.obs_layout.slices()["pelvis_quat"]]
        env.close()
        return float(2.0 * np.arctan2(q[2], q[0]))  # pitch about the ground's y axis, forward positive

    base = lean_at_start(False, 5.0)
    assert lean_at_start(False, -5.0) == pytest.approx(base, abs=1e-9)  # ground-normal upright ignores the slope
    assert lean_at_start(True, 5.0) - base == pytest.approx(np.deg2rad(5.0), abs=1e-6)  # uphill: forward
    assert lean_at_start(True, -5.0) - base == pytest.approx(np.deg2rad(-5.0), abs=1e-6)  # downhill: back


def _pelvis_lean_deg(obs: np.ndarray, env: WalkVecEnv) -> np.ndarray:
    q = obs[:, env.obs_layout.slices()["pelvis_quat"]]
    return np.degrees(2.0 * np.arctan2(q[:, 2], q[:, 0]))


def test_trunk_support_is_a_restoring_pelvis_moment_and_goes_away(sag_sim: SimModel) -> None:
    env = WalkVecEnv(SAG, 2, nthread=1, autoreset=False, sim=sag_sim)
    env.set_trunk_support(400.0, 40.0)
    opts = {"speed_mps": 1.2, "slope_deg": 0.0}
    env.reset(seed=0, options=opts)
    # Lean env 1 forward by 0.2 rad (root pitch hinge, + forward): the moment on the pelvis is -kp x lean about +y.
    env.physics.datas[1].qpos[2] += 0.2
    mujoco.mj_forward(env.physics.models[1], env.physics.datas[1])
    env.physics.sync_from_data(1)
    env._apply_trunk_support()
    pelvis = sag_sim.model.body("pelvis").id
    lean0 = np.radians(_pelvis_lean_deg(env._observe(), env))
    np.testing.assert_allclose(env.physics.xfrc_applied[:, pelvis, 4], -400.0 * lean0, atol=1e-9)  # at rest: no rate term
    assert env.physics.xfrc_applied[1, pelvis, 4] < -50.0
    # Without muscles the body folds and tips back (-12 deg when it falls); the support holds it near upright.
    zero = np.zeros((2, env.act_layout.size))
    worst = []
    for support in ((0.0, 0.0), (400.0, 40.0)):
        env.set_trunk_support(*support)
        env.reset(seed=0, options=opts)
        leans = []
        for _ in range(16):
            obs, _r, fell, _t, _ = env.step(zero)
            leans.append(np.abs(_pelvis_lean_deg(obs, env)).max())
        worst.append(max(leans))
    assert worst[1] < 0.5 * worst[0] and worst[0] > 8.0
    env.set_trunk_support(0.0)
    assert not env.physics.xfrc_applied.any()  # removed: the body is as it was
    for bad in (float("nan"), -1.0):
        with pytest.raises(ValueError, match="trunk support stiffness_nm_per_rad"):
            env.set_trunk_support(bad)
    with pytest.raises(ValueError, match="trunk support damping_nm_s_per_rad"):
        env.set_trunk_support(1.0, float("inf"))
    env.close()
    rollout = WalkVecEnv(SAG, 1, backend="rollout", nthread=1, autoreset=False, sim=sag_sim)
    with pytest.raises(ValueError, match="external wrenches need the 'threads' backend"):
        rollout.set_trunk_support(100.0)
    rollout.physics.xfrc_applied[0, pelvis, 4] = 1.0
    with pytest.raises(ValueError, match="external wrenches need the 'threads' backend"):
        rollout.physics.step(np.zeros((1, sag_sim.model.nu)))
    rollout.close()


def test_slope_approach_starts_level_and_tilts_the_ground_to_the_slope(sag_sim: SimModel) -> None:
    env = WalkVecEnv(SAG, 2, nthread=1, autoreset=False, sim=sag_sim)
    zero = np.zeros((2, env.act_layout.size))
    g = np.linalg.norm(sag_sim.model.opt.gravity)

    def gravity_slope_deg(i: int) -> float:
        gx, _, gz = env.physics.models[i].opt.gravity
        return float(np.degrees(np.arctan2(-gx, -gz)))

    env.set_slope_approach(0.25, 0.25)  # 10 policy steps level, then 10 steps of tilting
    obs, _ = env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 6.0})
    sl = env.obs_layout.slices()["slope_rad"]
    assert gravity_slope_deg(0) == pytest.approx(0.0) and obs[0, sl][0] == 0.0
    for _ in range(15):
        obs, *_ = env.step(zero)
    assert 2.0 < gravity_slope_deg(1) < 4.0 and np.degrees(obs[1, sl][0]) == pytest.approx(gravity_slope_deg(1), abs=1e-4)
    for _ in range(6):
        obs, *_ = env.step(zero)
    assert gravity_slope_deg(0) == pytest.approx(6.0) and np.degrees(obs[0, sl][0]) == pytest.approx(6.0, abs=1e-4)
    assert np.linalg.norm(env.physics.models[0].opt.gravity) == pytest.approx(g)
    env.set_slope_approach(0.0, 0.0)  # as evaluated: on the slope from the start
    obs, _ = env.reset(seed=0, options={"speed_mps": 1.2, "slope_deg": 6.0})
    assert gravity_slope_deg(0) == pytest.approx(6.0) and np.degrees(obs[0, sl][0]) == pytest.approx(6.0, abs=1e-4)
    for bad in (float("nan"), -0.1, 1e4):
        with pytest.raises(ValueError, match="slope approach level_s"):
            env.set_slope_approach(bad, 1.0)
    env.close()


def test_gait_phase_clock_ignores_heel_chatter(sag_sim: SimModel) -> None:
    """Right-heel GRF with a 10 ms bounce at every landing: the phase follows the 1.0 s strides;
    the bounce neither restarts the clock nor counts as a stride."""
    env = WalkVecEnv(EnvConfig(body=BodyConfig(name="myolegs26_sagittal")), 1, sim=sag_sim)
    env.reset(seed=0)
    dt = 0.005
    phases = []
    for k in range(int(3.0 / dt)):
        t = k * dt
        s = t % 1.0  # time since the stride began
        loaded = (s < 0.6) and not (0.01 <= s < 0.02)  # stance 60 %, the heel off the ground 10-20 ms in
        env.time_s[:] = t
        env._update_phase(np.array([1.0 if loaded else 0.0]))
        phases.append(env.phase[0])
    phases = np.array(phases)
    t = np.arange(len(phases)) * dt
    late = t >= 1.0  # after the first full stride the clock knows the stride time
    np.testing.assert_allclose(phases[late], np.minimum(t[late] % 1.0, 0.999), atol=dt + 1e-9)
    env.close()
