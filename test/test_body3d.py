"""The 3D body's reflex walker: pelvis angles, mirror signs of the hip joints, frontal-plane reflexes,
the frontal support aid and what CMA-ES searches on each body."""

from __future__ import annotations

import csv
import dataclasses
import json
import pickle
from pathlib import Path

import mujoco
import numpy as np
import pytest

from exo_sim.env import EnvConfig
from exo_sim.env.config import StartPoseConfig
from exo_sim.env.observations import heel_lateral_m, pelvis_lean_rad, pelvis_pitch_rad, pelvis_roll_rad, pelvis_yaw_rad
from exo_sim.env.walk import WalkVecEnv
from exo_sim.learning.reflex import (
    FRONTAL_DRIVE_NAMES,
    FRONTAL_HEADING_NAMES,
    FRONTAL_NAMES,
    FRONTAL_PLACE_NAMES,
    FRONTAL_PUSH_NAMES,
    HIP_EXT_GATE_NAMES,
    INITIAL,
    NAMES,
    SPEED_OFFSET_NAMES,
    ExcitationProjector,
    ReflexController,
    from_dict,
    to_dict,
)
from exo_sim.learning.reflex_tune import ReflexTuneConfig, rollout_cost, searched_param, tune
from exo_sim.models import BodyConfig
from exo_sim.models.body import body_spec, compile_spec
from exo_sim.models.build import build_model

BODY_3D = BodyConfig(name="myolegs26", hip_rotation_stiffness_nm_per_rad=200.0)
ENV_3D = EnvConfig(body=BODY_3D, exo_mode="no_exo", base_hz=160.0, init_joint_noise_rad=0.0,
                   start=StartPoseConfig(enabled=True))
ENV_SAGITTAL = dataclasses.replace(ENV_3D, body=BodyConfig(name="myolegs26_sagittal"))
MIRROR = np.array([1.0, -1.0, 1.0, -1.0])  # the observation's quaternion mirror (w, x, y, z)


def _quat(axis: tuple[float, float, float], angle: float) -> np.ndarray:
    q = np.zeros(4)
    mujoco.mju_axisAngle2Quat(q, np.asarray(axis, dtype=float), angle)
    return q


def _pelvis(roll: float, pitch: float, yaw: float) -> np.ndarray:
    """World quaternion of the pelvis segment frame (x forward, y up, z right) turned by roll, pitch, yaw."""
    q = _quat((1.0, 0.0, 0.0), np.pi / 2)  # standing: the segment's y axis up
    for axis, angle in (((1.0, 0.0, 0.0), roll), ((0.0, 1.0, 0.0), pitch), ((0.0, 0.0, 1.0), yaw)):
        out = np.zeros(4)
        mujoco.mju_mulQuat(out, _quat(axis, angle), q)
        q = out
    return q


def test_pelvis_angles_and_their_mirror_images() -> None:
    for roll, pitch in ((0.1, 0.0), (-0.2, 0.1), (0.15, -0.1)):
        q = _pelvis(roll, pitch, 0.0)
        assert pelvis_roll_rad(q) == pytest.approx(roll, abs=1e-9)  # + = right side down
        assert pelvis_lean_rad(q) == pytest.approx(pitch, abs=0.02)
        assert pelvis_roll_rad(q * MIRROR) == pytest.approx(-roll, abs=1e-9)  # mirrored: the other side down
        assert pelvis_lean_rad(q * MIRROR) == pytest.approx(pelvis_lean_rad(q), abs=1e-12)
    q = _pelvis(0.0, 0.3, 0.0)
    assert pelvis_lean_rad(q) == pytest.approx(pelvis_pitch_rad(q), abs=1e-12) == pytest.approx(0.3)
    turned = _pelvis(0.0, 0.0, 0.3)
    assert pelvis_yaw_rad(turned) == pytest.approx(0.3) and pelvis_yaw_rad(turned * MIRROR) == pytest.approx(-0.3)
    assert pelvis_roll_rad(turned) == pytest.approx(0.0, abs=1e-12) == pelvis_lean_rad(turned)


def test_heel_offsets_are_level_with_the_ground_and_mirror() -> None:
    left, right = np.array([-0.2, -0.9, -0.09]), np.array([0.3, -0.85, 0.1])  # segment frame: x fwd, y up, z right
    feet = np.concatenate([left, np.zeros(3), right, np.zeros(3)])[None]
    for roll in (0.0, 0.25, -0.4):
        q = _pelvis(roll, 0.0, 0.0)
        ground_y = []
        for v in (left, right):
            w = np.zeros(3)
            mujoco.mju_rotVecQuat(w, v, q)
            ground_y.append(w[1])
        got = heel_lateral_m(feet, pelvis_roll_rad(q[None]))
        np.testing.assert_allclose(got[0], ground_y, atol=1e-12)
        # The mirrored observation: halves swapped, segment z negated, the other side down.
        mirrored = np.concatenate([right, np.zeros(3), left, np.zeros(3)])[None] * np.tile([1.0, 1.0, -1.0], 4)
        np.testing.assert_allclose(heel_lateral_m(mirrored, pelvis_roll_rad((q * MIRROR)[None]))[0],
                                   [-ground_y[1], -ground_y[0]], atol=1e-12)
    assert heel_lateral_m(feet, np.zeros(1))[0, 0] == pytest.approx(0.09)  # left heel 9 cm left of the pelvis


def test_mirror_signs_follow_the_hip_axes_of_each_body() -> None:
    signs = {name: dict(zip(sm.index.bio_joints, sm.index.bio_mirror_sign, strict=True))
             for name in ("myolegs26", "myolegs26_sagittal", "myolegs")
             for sm in [build_model(BodyConfig(name=name))]}
    flipped = {j for j, s in signs["myolegs26"].items() if s < 0}
    assert flipped == {f"{b}_{side}" for b in ("hip_adduction", "hip_rotation") for side in "lr"}
    assert all(s > 0 for s in signs["myolegs26_sagittal"].values()) and all(s > 0 for s in signs["myolegs"].values())
    # The geometry behind the -1: on myolegs26 the same positive adduction angle moves either foot to
    # the left, so the mirror image of the left hip at +0.2 rad is the right hip at -0.2 rad.
    model = compile_spec(body_spec(BodyConfig(name="myolegs26")))
    data = mujoco.MjData(model)

    def foot_y(side: str, angle: float) -> float:
        mujoco.mj_resetData(model, data)
        data.qpos[model.joint(f"hip_adduction_{side}").qposadr[0]] = angle
        mujoco.mj_kinematics(model, data)
        return float(data.xpos[model.body(f"calcn_{side}").id][1] - data.xpos[model.body(f"femur_{side}").id][1])

    left_out = foot_y("l", 0.2) - foot_y("l", 0.0)
    right_out = foot_y("r", -0.2) - foot_y("r", 0.0)
    assert left_out > 0.05 and right_out == pytest.approx(-left_out, rel=0.05)


@pytest.fixture(scope="module")
def env3d():
    e = WalkVecEnv(ENV_3D, 1, autoreset=False)
    yield e
    e.close()


def _state(env: WalkVecEnv, *, roll: float = 0.0, lateral_vel: float = 0.0, left_stance: bool = True) -> np.ndarray:
    """A reset observation with the pelvis rolled, a lateral velocity, and one foot loaded."""
    obs, _ = env.reset(seed=0, options={"speed_mps": 1.0, "slope_deg": 0.0, "start_seed": 1})
    s = env.obs_layout.slices()
    o = obs.astype(float).copy()
    o[:, s["pelvis_quat"]] = _pelvis(roll, 0.0, 0.0)
    o[:, s["pelvis_angvel_rps"]] = 0.0
    o[:, s["com_vel_mps"]] = (1.0, lateral_vel, 0.0)
    grf = np.zeros(6)
    grf[2 if left_stance else 5] = 1.0
    o[:, s["grf_per_bw"]] = grf
    return o


def _abd_add(env: WalkVecEnv, u: np.ndarray, side: str) -> tuple[float, float]:
    m = env.index.muscles
    return float(u[0, m.index(f"abd_{side}")]), float(u[0, m.index(f"add_{side}")])


def test_frontal_reflexes_hold_the_pelvis_level_and_widen_the_step_toward_a_lateral_fall(env3d: WalkVecEnv) -> None:
    ctrl = ReflexController(env3d)
    assert ctrl.frontal and [leg.adduction_sign for leg in ctrl.legs] == [-1.0, 1.0]  # myolegs26's same-way axes
    gains = from_dict({**to_dict(INITIAL), "fr_bal_kp": 2.0, "fr_bal_kd": 0.3, "sw_abd_kp": 3.0, "sw_abd_vel": 0.5})
    p0 = to_dict(INITIAL)["abd_add_p0"]
    # Left foot down, pelvis dropping to the right (the swing side): the left abductors pull, its adductors rest.
    abd, add = _abd_add(env3d, ctrl(_state(env3d, roll=0.1), gains), "l")
    assert abd > p0 + 0.1 and add == pytest.approx(p0)
    abd, add = _abd_add(env3d, ctrl(_state(env3d, roll=-0.1), gains), "l")  # dropping to the stance side: adductors
    assert add > p0 + 0.1 and abd == pytest.approx(p0)
    # Right leg swinging while the body moves to the right: its abductors widen the step, more the faster it moves.
    still = _abd_add(env3d, ctrl(_state(env3d, lateral_vel=0.0), gains), "r")
    moving = _abd_add(env3d, ctrl(_state(env3d, lateral_vel=-0.3), gains), "r")
    assert moving[0] - moving[1] > still[0] - still[1] + 0.2
    # Zero gains: the tonic drive alone, as on the sagittal walker.
    assert _abd_add(env3d, ctrl(_state(env3d, roll=0.1, lateral_vel=-0.3), INITIAL), "l") == (pytest.approx(p0), pytest.approx(p0))


def test_stance_abductor_drive_and_adductor_inhibition_act_in_stance_only(env3d: WalkVecEnv) -> None:
    ctrl = ReflexController(env3d)
    tonic = from_dict({**to_dict(INITIAL), "abd_add_p0": 0.07})
    drives = from_dict({**to_dict(INITIAL), "abd_add_p0": 0.07, "fr_abd_st": 0.2, "fr_add_inhib": 1.0})
    obs = _state(env3d)  # left foot down, pelvis level: no balance or placement drive
    assert _abd_add(env3d, ctrl(obs, tonic), "l") == (pytest.approx(0.07), pytest.approx(0.07))
    assert _abd_add(env3d, ctrl(obs, drives), "l") == (pytest.approx(0.27), pytest.approx(0.0))
    # The swinging right leg keeps the shared tonic drive.
    assert _abd_add(env3d, ctrl(obs, drives), "r") == _abd_add(env3d, ctrl(obs, tonic), "r")


def test_lateral_push_off_drives_the_trailing_abductor_in_double_support_only(env3d: WalkVecEnv) -> None:
    ctrl = ReflexController(env3d)
    push = from_dict({**to_dict(INITIAL), "fr_push_dsup": 0.3})
    s = env3d.obs_layout.slices()
    both = _state(env3d)
    grf = np.zeros(6)
    grf[[2, 5]] = 0.5  # both feet loaded, half each (above the swing switch at share 0.35)
    both[:, s["grf_per_bw"]] = grf
    feet = both[:, s["feet_rel_pelvis_m"]]
    feet[:, 0], feet[:, 6] = -0.3, 0.3  # left heel behind the right: the left leg trails
    both[:, s["feet_rel_pelvis_m"]] = feet
    p0 = to_dict(INITIAL)["abd_add_p0"]
    assert _abd_add(env3d, ctrl(both, push), "l")[0] == pytest.approx(p0 + 0.3)  # trailing: pushes
    assert _abd_add(env3d, ctrl(both, push), "r") == _abd_add(env3d, ctrl(both, INITIAL), "r")  # leading: as before
    single = _state(env3d)  # left foot alone down: no double support, no push
    assert _abd_add(env3d, ctrl(single, push), "l") == _abd_add(env3d, ctrl(single, INITIAL), "l")


def test_swing_foot_steps_wider_as_the_body_drifts_from_the_stance_heel(env3d: WalkVecEnv) -> None:
    ctrl = ReflexController(env3d)
    s = env3d.obs_layout.slices()
    base = {**to_dict(INITIAL), "sw_abd_kp": 3.0}

    def right_swing(left_heel_y: float, gain: float) -> float:
        """Net abductor drive of the swinging right leg, left foot down left_heel_y m left of a level pelvis."""
        obs = _state(env3d)
        feet = obs[:, s["feet_rel_pelvis_m"]]
        feet[:, 2] = -left_heel_y  # segment z points right
        obs[:, s["feet_rel_pelvis_m"]] = feet
        abd, add = _abd_add(env3d, ctrl(obs, from_dict({**base, "sw_abd_pos": gain})), "r")
        return abd - add

    assert right_swing(0.0, 2.0) == pytest.approx(right_swing(0.0, 0.0))  # pelvis over the stance heel: as before
    # The body 6 cm right of the stance heel (drifting toward the swing side): a wider step.
    assert right_swing(0.06, 2.0) == pytest.approx(right_swing(0.0, 0.0) + 3.0 * 2.0 * 0.06)
    assert right_swing(0.06, 0.0) == pytest.approx(right_swing(0.0, 0.0))  # gain 0: as before


def test_swing_foot_placement_moves_with_the_heading_and_mirrors(env3d: WalkVecEnv) -> None:
    ctrl = ReflexController(env3d)
    s = env3d.obs_layout.slices()
    base = {**to_dict(INITIAL), "sw_abd_kp": 3.0}

    def net(yaw: float, gain: float, side: str = "r") -> float:
        """Net abductor drive of the swinging leg (the other foot down) with the pelvis turned by yaw (+ = left)."""
        obs = _state(env3d, left_stance=side == "r")
        obs[:, s["pelvis_quat"]] = _pelvis(0.0, 0.0, yaw)
        abd, add = _abd_add(env3d, ctrl(obs, from_dict({**base, "sw_abd_yaw": gain})), side)
        return abd - add

    assert net(0.0, 1.5) == pytest.approx(net(0.0, 0.0))  # heading straight: as before, whatever the gain
    assert net(-0.2, 0.0) == pytest.approx(net(0.0, 0.0))  # gain 0: as before, whatever the heading
    # Turned 0.2 rad toward the right (the swing side): the target moves out by gain x 0.2, the drive by kp times that.
    assert net(-0.2, 1.5) == pytest.approx(net(0.0, 0.0) + 3.0 * 1.5 * 0.2)
    assert net(0.2, 1.5) == pytest.approx(net(0.0, 0.0) - 3.0 * 1.5 * 0.2)
    # Left/right symmetric (so consistent with the env's mirroring): the left leg swinging with the body
    # turned left is the mirror image.
    assert net(0.2, 1.5, "l") == pytest.approx(net(-0.2, 1.5))


def test_start_moves_sideways_toward_the_leading_leg_on_the_3d_body_only() -> None:
    start = StartPoseConfig(enabled=True, jitter_rad=0.0, lateral_speed_mps=0.2)
    env = WalkVecEnv(dataclasses.replace(ENV_3D, start=start), 1, autoreset=False)
    try:
        hips = [env.index.bio_joints.index(f"hip_flexion_{side}") for side in ("l", "r")]
        sides = set()
        for seed in range(6):
            obs, _ = env.reset(seed=0, options={"speed_mps": 1.0, "slope_deg": 0.0, "start_seed": seed})
            sl = env.obs_layout.slices()
            lead_left = obs[0, sl["joint_pos_rad"]][hips[0]] > obs[0, sl["joint_pos_rad"]][hips[1]]
            vy = env.physics.sensordata[0, env.cols.com_vel][1]
            assert vy == pytest.approx(0.2 if lead_left else -0.2, abs=0.03)  # + = toward the left
            sides.add(bool(lead_left))
        assert sides == {True, False}
    finally:
        env.close()
    with pytest.raises(ValueError, match="lateral_speed_mps 0.2: the body has no sideways degree of freedom"):
        WalkVecEnv(dataclasses.replace(ENV_SAGITTAL, start=start), 1, autoreset=False)
    with pytest.raises(ValueError, match="lateral_speed_mps 0.2: needs enabled: true"):
        StartPoseConfig(enabled=False, lateral_speed_mps=0.2)


def test_frontal_gains_change_nothing_on_the_sagittal_body() -> None:
    env = WalkVecEnv(ENV_SAGITTAL, 1, autoreset=False)
    try:
        ctrl = ReflexController(env)
        obs, _ = env.reset(seed=0, options={"speed_mps": 1.0, "slope_deg": 0.0, "start_seed": 1})
        gains = from_dict({**to_dict(INITIAL), "fr_bal_kp": 5.0, "sw_abd_kp": 5.0, "sw_abd_target": 0.2,
                           "fr_abd_st": 0.3, "fr_add_inhib": 1.0, "sw_abd_pos": 2.0,
                           "sw_abd_yaw": 2.0})
        assert not ctrl.frontal
        np.testing.assert_array_equal(ctrl(obs, gains), ctrl(obs, INITIAL))
        with pytest.raises(ValueError, match="cannot roll"):
            env.set_frontal_support(100.0, 0.0, 0.0, 0.0)
    finally:
        env.close()


def test_frontal_support_pushes_back_and_refuses_bad_values(env3d: WalkVecEnv) -> None:
    with pytest.raises(ValueError, match="lateral_n_per_m"):
        env3d.set_frontal_support(100.0, 10.0, -1.0, 0.0)
    with pytest.raises(ValueError, match="turn_nm_per_rad"):
        env3d.set_frontal_support(float("nan"), 10.0, 0.0, 0.0)
    env3d.reset(seed=0, options={"speed_mps": 1.0, "slope_deg": 0.0, "start_seed": 1})
    env3d.set_frontal_support(1000.0, 0.0, 5000.0, 0.0)
    c = env3d.cols
    env3d.physics.sensordata[0, c.pelvis_quat] = _pelvis(0.1, 0.0, 0.05)
    env3d.physics.sensordata[0, c.pelvis_angvel] = 0.0
    env3d.physics.sensordata[0, c.com_vel] = 0.0
    env3d.physics.sensordata[0, c.com_pos.start + 1] += 0.02  # 2 cm left of the start line
    env3d._apply_frontal_support()
    wrench = env3d.physics.xfrc_applied[0, env3d._pelvis_body]
    assert wrench[3] == pytest.approx(-100.0, rel=0.01) and wrench[5] == pytest.approx(-50.0, rel=0.01)
    assert wrench[1] == pytest.approx(-100.0)
    assert env3d.frontal_support_load()[0] == pytest.approx(250.0 / env3d.body_weight_n, rel=0.01)
    env3d.set_frontal_support(0.0, 0.0, 0.0, 0.0)
    assert not env3d.physics.xfrc_applied[0, env3d._pelvis_body, [1, 3, 5]].any()
    assert env3d.frontal_support_load()[0] == 0.0


def test_the_cost_charges_for_leaning_on_the_frontal_support(env3d: WalkVecEnv) -> None:
    ctrl, proj = ReflexController(env3d), ExcitationProjector(env3d)
    theta = INITIAL[None, :]
    env3d.set_frontal_support(500.0, 50.0, 5000.0, 500.0)
    try:
        free = ReflexTuneConfig(env=ENV_3D, duration_s=0.3, popsize=4)
        c0, info = rollout_cost(env3d, ctrl, proj, theta, free, 1.0, 1)
        c1, _ = rollout_cost(env3d, ctrl, proj, theta, dataclasses.replace(free, support_weight=100.0), 1.0, 1)
    finally:
        env3d.set_frontal_support(0.0, 0.0, 0.0, 0.0)
    assert info["support_load"][0] > 0.0
    assert c1[0] - c0[0] == pytest.approx(100.0 * info["support_load"][0])


def test_configs_refuse_frontal_settings_a_body_cannot_use() -> None:
    with pytest.raises(ValueError, match="hip_rotation_stiffness_nm_per_rad needs a 3D body"):
        BodyConfig(name="myolegs26_sagittal", hip_rotation_stiffness_nm_per_rad=100.0)
    with pytest.raises(ValueError, match="frontal support needs a 3D body"):
        ReflexTuneConfig(env=ENV_SAGITTAL, frontal_support_nm_per_rad=100.0, frontal_support_generations=5)
    with pytest.raises(ValueError, match="frontal_drives needs a 3D body"):
        ReflexTuneConfig(env=ENV_SAGITTAL, frontal_drives=True)
    with pytest.raises(ValueError, match="frontal_push needs a 3D body"):
        ReflexTuneConfig(env=ENV_SAGITTAL, frontal_push=True)
    with pytest.raises(ValueError, match="frontal_place needs a 3D body"):
        ReflexTuneConfig(env=ENV_SAGITTAL, frontal_place=True)
    with pytest.raises(ValueError, match="frontal_heading needs a 3D body"):
        ReflexTuneConfig(env=ENV_SAGITTAL, frontal_heading=True)
    with pytest.raises(ValueError, match="one way down"):
        ReflexTuneConfig(env=ENV_3D, lateral_support_n_per_m=100.0)
    with pytest.raises(ValueError, match="one way down"):
        ReflexTuneConfig(env=ENV_3D, lateral_support_n_per_m=100.0, frontal_support_generations=5, frontal_support_step=0.1)
    model = build_model(BODY_3D).model
    assert model.jnt_stiffness[model.joint("hip_rotation_l").id] == 200.0


def test_cma_searches_the_frontal_parameters_only_where_the_hips_adduct(tmp_path: Path) -> None:
    groups = {"frontal_drives": FRONTAL_DRIVE_NAMES, "frontal_push": FRONTAL_PUSH_NAMES,
              "frontal_place": FRONTAL_PLACE_NAMES, "frontal_heading": FRONTAL_HEADING_NAMES}
    # Each flag set as the runs searched it: before the drives, the push-off, the placement by offset and by heading.
    cases = (("sagittal", ENV_SAGITTAL, ()), ("3d", ENV_3D, ()), ("3d_drives", ENV_3D, ("frontal_drives",)),
             ("3d_push", ENV_3D, ("frontal_drives", "frontal_push")),
             ("3d_place", ENV_3D, ("frontal_drives", "frontal_push", "frontal_place")),
             ("3d_heading", ENV_3D, ("frontal_drives", "frontal_push", "frontal_heading")),
             ("3d_all", ENV_3D, tuple(groups)))
    for name, env_cfg, flags in cases:
        cfg = ReflexTuneConfig(env=env_cfg, speeds_mps=(1.0,), seeds=(0,), duration_s=0.05, popsize=4, generations=1,
                               **{flag: True for flag in flags})
        if env_cfg is ENV_3D:
            cfg = dataclasses.replace(cfg, frontal_support_nm_per_rad=100.0, frontal_support_generations=2)
        unsearched = tuple(n for flag, names in groups.items() if flag not in flags for n in names)
        unsearched += (FRONTAL_NAMES if env_cfg is ENV_SAGITTAL else ()) + HIP_EXT_GATE_NAMES + SPEED_OFFSET_NAMES
        run = tmp_path / name
        best = tune(cfg, run)
        assert pickle.loads((run / "es.pkl").read_bytes()).N == len(NAMES) - len(unsearched)
        # What it does not search stays where it started (the built-in guess: 0, no frontal drive, no gate).
        assert all(best["params"][n] == to_dict(INITIAL)[n] for n in unsearched)
        if env_cfg is ENV_3D:
            assert best["aids"][-4] == 100.0  # generation 1 under full frontal support


def test_gated_frontal_support_falls_only_after_generations_that_walk(tmp_path: Path) -> None:
    cfg = ReflexTuneConfig(env=ENV_3D, speeds_mps=(1.0,), seeds=(0,), duration_s=0.05, popsize=4, generations=3,
                           frontal_support_nm_per_rad=100.0, lateral_support_n_per_m=1000.0, frontal_support_step=0.4)
    tune(cfg, tmp_path / "walks")  # 0.05 s runs: every generation walks to the end
    with (tmp_path / "walks" / "progress.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [float(r["frontal_support_nm_per_rad"]) for r in rows] == pytest.approx([100.0, 60.0, 20.0])
    assert [float(r["lateral_support_n_per_m"]) for r in rows] == pytest.approx([1000.0, 600.0, 200.0])
    assert json.loads((tmp_path / "walks" / "curriculum.json").read_text())["frontal_support_fraction"] == 0.0
    ready = json.loads((tmp_path / "walks" / "ready.json").read_text())  # the last walker, with its aids
    assert ready["generation"] == 3 and ready["aids"][-4:] == pytest.approx([20.0, 0.0, 200.0, 0.0])
    # A generation that does not walk keeps the support where it is.
    stuck = dataclasses.replace(cfg, duration_s=8.0, generations=1, stall_fraction=0.9, stall_after_s=0.1)
    tune(stuck, tmp_path / "stuck")
    assert json.loads((tmp_path / "stuck" / "curriculum.json").read_text())["frontal_support_fraction"] == 1.0
    assert not (tmp_path / "stuck" / "ready.json").exists()


def test_hip_extension_gate_turns_the_stance_hip_from_extensors_to_flexor_past_its_onset(env3d: WalkVecEnv) -> None:
    ctrl = ReflexController(env3d)
    m, s = env3d.index.muscles, env3d.obs_layout.slices()
    hip_l = ctrl.legs[0].hip
    gate = from_dict({**to_dict(INITIAL), "hipext_onset": -0.2, "hipext_inhib": 0.5, "hipext_flex": 2.0})

    def drives(params: np.ndarray, hip_rad: float) -> np.ndarray:
        obs = _state(env3d)  # left foot down
        obs[:, s["joint_pos_rad"].start + hip_l] = hip_rad
        u = ctrl(obs, params)
        return np.array([u[0, m.index(f"{name}_l")] for name in ("glutmax", "hamstrings", "iliopsoas")])

    # Inside the onset the gate does nothing; 0.1 rad beyond it, extensors -0.05 and flexor +0.2 (before clipping).
    np.testing.assert_allclose(drives(gate, -0.15), drives(INITIAL, -0.15))
    off, on = drives(INITIAL, -0.3), drives(gate, -0.3)
    np.testing.assert_allclose(on[2] - off[2], 0.2)
    assert np.all(on[:2] <= off[:2]) and np.all(on[:2] >= off[:2] - 0.05 - 1e-12)
    # Older parameter files (no gate names) load with the gains at 0: no gate.
    assert to_dict(INITIAL)["hipext_inhib"] == to_dict(INITIAL)["hipext_flex"] == 0.0


def test_hip_extension_gate_is_searched_only_where_the_config_asks() -> None:
    for env_cfg in (ENV_SAGITTAL, ENV_3D):
        for flag in (False, True):
            cfg = ReflexTuneConfig(env=env_cfg, speeds_mps=(1.0,), seeds=(0,), duration_s=0.05, popsize=4, hip_ext_gate=flag)
            assert all(searched_param(cfg, n) == flag for n in HIP_EXT_GATE_NAMES)
