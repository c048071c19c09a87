"""The body wearing the exo: size, exo dynamics and sensors against first principles."""

from __future__ import annotations

import mujoco
import numpy as np
import pytest

from exo_sim.models import BodyConfig, ExoConfig, SimModel, build_model, standing_height_m
from exo_sim.models.body import ankle_force_length
from exo_sim.models.exo import MOTORS


@pytest.fixture(scope="module")
def sim() -> SimModel:
    return build_model(BodyConfig(), ExoConfig())


def test_mass_and_height_of_an_adult_with_exo(sim: SimModel) -> None:
    exo = ExoConfig()
    exo_kg = exo.belt_mass_kg + 2 * exo.motor_mass_kg + 2 * exo.cuff_mass_kg
    assert 70.0 < sim.total_mass_kg - exo_kg < 82.0
    assert sim.total_mass_kg - exo_kg == pytest.approx(78.09, abs=0.01)  # myolegs26 as shipped
    assert 1.6 < standing_height_m(sim.model) < 1.85


def test_body_mass_option_scales_the_body_not_the_exo() -> None:
    sim = build_model(BodyConfig(body_mass_kg=75.0, name="myolegs26_sagittal"), ExoConfig())
    assert sim.total_mass_kg == pytest.approx(75.0 + 1.5 + 2 * 0.5 + 2 * 0.3, abs=1e-6)


def test_torque_limit_above_ak80_9_rating_is_rejected() -> None:
    with pytest.raises(ValueError, match="torque_limit_nm.*18"):
        ExoConfig(torque_limit_nm=18.5)
    with pytest.raises(ValueError, match="name"):
        BodyConfig(name="myolegs27")  # type: ignore[arg-type]


def test_motor_is_a_gear_1_torque_source_with_limits(sim: SimModel) -> None:
    m = sim.model
    for name in MOTORS:
        a = m.actuator(name)
        assert a.gear[0] == 1.0 and tuple(a.ctrlrange) == (-15.0, 15.0)


@pytest.mark.parametrize("side", ["l", "r"])
def test_positive_exo_torque_accelerates_hip_into_flexion(sim: SimModel, side: str) -> None:
    m, d = sim.model, mujoco.MjData(sim.model)
    m.opt.gravity[:] = 0.0  # isolate the motor's effect
    try:
        dof = m.jnt_dofadr[m.joint(f"hip_flexion_{side}").id]
        d.ctrl[m.actuator(f"exo_hip_{side}").id] = 10.0
        mujoco.mj_forward(m, d)
        assert d.qacc[dof] > 0.0
        # Flexion moves the knee forward (+x): thigh swings ahead.
        d.qpos[m.jnt_qposadr[m.joint(f"hip_flexion_{side}").id]] = 0.3
        mujoco.mj_kinematics(m, d)
        assert d.xpos[m.body(f"tibia_{side}").id][0] > d.xpos[m.body(f"femur_{side}").id][0] + 0.05
    finally:
        m.opt.gravity[:] = (0.0, 0.0, -9.81)


def test_thigh_gyro_is_thigh_angular_velocity_in_sensor_frame(sim: SimModel) -> None:
    m, d = sim.model, mujoco.MjData(sim.model)
    rng = np.random.default_rng(3)
    d.qvel[:] = rng.normal(0.0, 1.0, m.nv)
    mujoco.mj_forward(m, d)
    for side in ("l", "r"):
        vel = np.zeros(6)
        mujoco.mj_objectVelocity(m, d, mujoco.mjtObj.mjOBJ_BODY, m.body(f"femur_{side}").id, vel, 0)
        site = m.site(f"imu_thigh_{side}").id
        expected = d.site_xmat[site].reshape(3, 3).T @ vel[:3]
        gyro = d.sensordata[sim.index.sensor(f"imu_thigh_{side}_gyro")]
        np.testing.assert_allclose(gyro, expected, atol=1e-10)


def test_imu_frames_are_x_forward_y_left_z_up_when_standing(sim: SimModel) -> None:
    d = mujoco.MjData(sim.model)
    mujoco.mj_kinematics(sim.model, d)
    for site in ("imu_pelvis", "imu_thigh_l", "imu_thigh_r"):
        np.testing.assert_allclose(d.site_xmat[sim.model.site(site).id].reshape(3, 3), np.eye(3), atol=5e-3)
    assert d.site_xpos[sim.model.site("imu_thigh_l").id][1] > 0.1 > -0.1 > d.site_xpos[sim.model.site("imu_thigh_r").id][1]


@pytest.mark.parametrize("slope_deg", [-10.0, 0.0, 6.0])
def test_pelvis_accelerometer_at_rest_reads_gravity_tilted_by_slope(sim: SimModel, slope_deg: float) -> None:
    m, d = sim.model, mujoco.MjData(sim.model)
    g, th = 9.81, np.deg2rad(slope_deg)
    m.opt.gravity[:] = (-g * np.sin(th), 0.0, -g * np.cos(th))
    try:
        mujoco.mj_forward(m, d)
        d.qacc[:] = 0.0  # at rest: no acceleration, only the specific force against gravity
        mujoco.mj_rnePostConstraint(m, d)
        mujoco.mj_sensorAcc(m, d)
        acc = d.sensordata[sim.index.sensor("imu_pelvis_acc")]
        np.testing.assert_allclose(acc, (g * np.sin(th), 0.0, g * np.cos(th)), atol=0.05)
    finally:
        m.opt.gravity[:] = (0.0, 0.0, -g)


def test_sagittal_variant_has_planar_root_and_no_out_of_plane_joints() -> None:
    sim = build_model(BodyConfig(name="myolegs26_sagittal"))
    assert sim.index.root_joints == ("root_x", "root_z", "root_pitch")
    assert not any("adduction" in j or "rotation" in j for j in sim.index.bio_joints)


def _calf_force_length(model: mujoco.MjModel, muscle: str, ankle_deg: float) -> float:
    return ankle_force_length(model, muscle, np.deg2rad(ankle_deg))


def test_calf_from_myolegs_restores_push_off_force_and_blends() -> None:
    """myolegs26's calf is nearly spent at 20 deg of plantarflexion; with calf_from_myolegs it keeps
    myolegs' force-length factors there; peak forces, other muscles and 0 (the default) are unchanged."""
    models = {b: build_model(BodyConfig(name="myolegs26_sagittal", calf_from_myolegs=b)).model for b in (0.0, 0.5, 1.0)}
    ref = build_model(BodyConfig(name="myolegs_sagittal")).model
    own = {m: _calf_force_length(models[0.0], m, -20.0) for m in ("soleus_r", "gastroc_r")}
    assert own["soleus_r"] < 0.25 and own["gastroc_r"] < 0.4
    for ours, theirs in (("soleus_r", "soleus_r"), ("soleus_l", "soleus_l"), ("gastroc_r", "gasmed_r")):
        for angle in (0.0, -20.0):  # the matched angles
            assert _calf_force_length(models[1.0], ours, angle) == pytest.approx(_calf_force_length(ref, theirs, angle), abs=1e-6)
    half = _calf_force_length(models[0.5], "soleus_r", -20.0)
    assert own["soleus_r"] < half < _calf_force_length(models[1.0], "soleus_r", -20.0)
    changed = [models[0.0].actuator(i).name for i in range(models[0.0].nu)
               if not np.array_equal(models[0.0].actuator_gainprm[i], models[1.0].actuator_gainprm[i])]
    assert sorted(changed) == ["gastroc_l", "gastroc_r", "soleus_l", "soleus_r"]
    np.testing.assert_array_equal(models[0.0].actuator_gainprm[:, 2], models[1.0].actuator_gainprm[:, 2])  # peak forces
    np.testing.assert_array_equal(build_model(BodyConfig(name="myolegs26_sagittal")).model.actuator_gainprm,
                                  models[0.0].actuator_gainprm)
    with pytest.raises(ValueError, match="calf_from_myolegs applies to the myolegs26"):
        BodyConfig(name="myolegs_sagittal", calf_from_myolegs=1.0)
    with pytest.raises(ValueError, match="calf_from_myolegs"):
        BodyConfig(name="myolegs26", calf_from_myolegs=1.5)


def test_coupling_time_constant_sets_the_joint_couplings_only_and_needs_a_small_enough_timestep() -> None:
    from exo_sim.env.config import EnvConfig

    own = build_model(BodyConfig(name="myolegs26_sagittal")).model
    stiff = build_model(BodyConfig(name="myolegs26_sagittal", coupling_timeconst_s=0.0032)).model
    joint = own.eq_type == mujoco.mjtEq.mjEQ_JOINT
    assert joint.sum() >= 20  # path points and knee translations of both legs
    np.testing.assert_array_equal(own.eq_solref[joint, 0], 0.02)  # myo-sim's (MuJoCo's default)
    np.testing.assert_array_equal(stiff.eq_solref[joint, 0], 0.0032)
    np.testing.assert_array_equal(stiff.eq_solref[:, 1], own.eq_solref[:, 1])  # damping ratio kept
    np.testing.assert_array_equal(stiff.eq_solref[~joint], own.eq_solref[~joint])
    body = BodyConfig(name="myolegs26_sagittal", coupling_timeconst_s=0.0032)
    with pytest.raises(ValueError, match=r"coupling_timeconst_s 0.0032 s is under three physics timesteps \(0.001563 s each\)"):
        EnvConfig(body=body, policy_hz=40.0, substeps=16)
    assert EnvConfig(body=body, policy_hz=40.0, substeps=32).timestep_s == pytest.approx(1 / 1280)
    with pytest.raises(ValueError, match="coupling_timeconst_s"):
        BodyConfig(coupling_timeconst_s=0.0)


def test_hip_extension_limit_moves_both_hips_extension_side_only_and_leaves_the_muscles() -> None:
    """myolegs26 stops hip extension at 20 deg (myolegs: 30); the option moves that stop, nothing else."""
    for name in ("myolegs26_sagittal", "myolegs26"):
        own = build_model(BodyConfig(name=name)).model
        wide = build_model(BodyConfig(name=name, hip_extension_limit_deg=30.0)).model
        assert BodyConfig(name=name).hip_extension_limit == pytest.approx(np.degrees(0.349))  # myo-sim's, exactly
        assert BodyConfig(name=name, hip_extension_limit_deg=30.0).hip_extension_limit == 30.0
        for side in ("l", "r"):
            j = own.joint(f"hip_flexion_{side}").id
            assert np.degrees(own.jnt_range[j]) == pytest.approx([-20.0, 135.0], abs=0.1)
            assert -np.degrees(own.jnt_range[j, 0]) == pytest.approx(BodyConfig(name=name).hip_extension_limit, abs=1e-9)
            assert np.degrees(wide.jnt_range[j]) == pytest.approx([-30.0, 135.0], abs=0.1)
        others = [j for j in range(own.njnt) if not own.joint(j).name.startswith("hip_flexion")]
        np.testing.assert_array_equal(own.jnt_range[others], wide.jnt_range[others])
        np.testing.assert_array_equal(own.actuator_lengthrange, wide.actuator_lengthrange)
        np.testing.assert_array_equal(own.actuator_gainprm, wide.actuator_gainprm)
    myolegs = build_model(BodyConfig(name="myolegs_sagittal")).model
    assert np.degrees(-myolegs.jnt_range[myolegs.joint("hip_flexion_r").id, 0]) == pytest.approx(
        BodyConfig(name="myolegs_sagittal").hip_extension_limit, abs=1e-4)
    for bad in (4.0, 41.0, float("nan")):
        with pytest.raises(ValueError, match="hip_extension_limit_deg"):
            BodyConfig(hip_extension_limit_deg=bad)
