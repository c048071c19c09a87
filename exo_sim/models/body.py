"""The musculoskeletal body, built with MjSpec from the myo-sim package (no XML of our own).

After :func:`body_spec` the world frame is x forward, y left, z up (myo-sim's body faces -y;
we turn it), the ground is our own plane at z = 0, and the feet touch it at the reference pose.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import warnings
from collections.abc import Iterator

import mujoco
import numpy as np

from exo_sim.models.config import BodyConfig

logger = logging.getLogger(__name__)

ROOT_BODY = "Full Body"
SIDES = ("l", "r")
#: Joints that leave the sagittal plane; the sagittal variants remove them (held at 0).
OUT_OF_PLANE_JOINTS = ("hip_adduction", "hip_rotation", "subtalar_angle")
#: myolegs' primitive foot capsules (calcn: medial and lateral sole; toes: two), reused on both bodies.
FOOT_CAPSULES = ("foot_col1", "foot_col3", "bofoot_col1", "bofoot_col2")
#: Quaternion of a +90 deg turn about z: myo-sim's forward (-y) becomes +x.
_FACE_X = (np.sqrt(0.5), 0.0, 0.0, np.sqrt(0.5))


_EMPTY_PREFIX = "Attaching a spec with an empty prefix"


@contextlib.contextmanager
def _quiet_empty_prefix() -> Iterator[None]:
    """Silence myo-sim's empty-prefix warning (Python and MuJoCo's C side); we never save to XML."""
    previous = mujoco.get_mju_user_warning()

    def route(msg: str) -> None:
        if _EMPTY_PREFIX not in msg:
            logger.warning("mujoco: %s", msg)

    mujoco.set_mju_user_warning(route)
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=_EMPTY_PREFIX)
            yield
    finally:
        mujoco.set_mju_user_warning(previous)


def _load_myo_spec(name: str) -> mujoco.MjSpec:
    import myo_sim

    with _quiet_empty_prefix():
        return myo_sim.load_spec(name)


def compile_spec(spec: mujoco.MjSpec) -> mujoco.MjModel:
    """Compile a spec built on myo-sim."""
    with _quiet_empty_prefix():
        return spec.compile()


@functools.lru_cache(maxsize=1)
def _myolegs_reference() -> mujoco.MjModel:
    """myo-sim's 80-muscle myolegs as packaged: the source of the primitive feet and of the calf
    operating range (compiled once per process)."""
    return compile_spec(_load_myo_spec("myolegs"))


@functools.lru_cache(maxsize=1)
def _foot_capsules() -> dict[str, tuple[tuple[float, ...], tuple[float, ...], tuple[float, ...], str]]:
    """name -> (size, pos, quat, parent body) of myolegs' foot capsules, read from the package."""
    model = _myolegs_reference()
    out = {}
    for side in SIDES:
        for base in FOOT_CAPSULES:
            g = model.geom(f"{base}_{side}")
            out[f"{base}_{side}"] = (
                tuple(g.size),
                tuple(g.pos),
                tuple(g.quat),
                model.body(model.geom_bodyid[g.id]).name,
            )
    return out


def _replace_scene(spec: mujoco.MjSpec, friction: float) -> None:
    """Drop myo-sim's scene (floor at -0.4 m, pedestal, decor) and add a plain ground plane at z = 0."""
    for geom in list(spec.worldbody.geoms):
        spec.delete(geom)
    floor = spec.worldbody.add_geom(
        name="ground", type=mujoco.mjtGeom.mjGEOM_PLANE, size=(0.0, 0.0, 0.05), pos=(0.0, 0.0, 0.0)
    )
    floor.contype = 1
    floor.conaffinity = 1
    floor.friction = (friction, 0.005, 0.0001)
    floor.rgba = (0.55, 0.6, 0.65, 1.0)


def _primitive_feet(spec: mujoco.MjSpec, foot_collision: bool) -> None:
    """Turn off every body collision and put myolegs' foot capsules on calcn/toes."""
    for geom in spec.geoms:
        if geom.name != "ground":
            geom.contype = 0
            geom.conaffinity = 0
    for pair in list(spec.pairs):
        spec.delete(pair)
    for name, (size, pos, quat, parent) in _foot_capsules().items():
        g = spec.body(parent).add_geom(
            name=f"contact_{name}", type=mujoco.mjtGeom.mjGEOM_CAPSULE, size=size, pos=pos, quat=quat
        )
        # contype 2 touches the ground (conaffinity 1 | 2 below) but not the other foot's capsules
        # through the broad phase; foot-foot contact goes through explicit pairs only.
        g.density = 0.0  # contact only; segment masses stay myo-sim's
        g.contype = 2
        g.conaffinity = 0
        g.group = 3
        g.rgba = (0.9, 0.4, 0.2, 0.6)
    spec.geom("ground").conaffinity = 3
    if foot_collision:
        for a in FOOT_CAPSULES:
            for b in FOOT_CAPSULES:
                spec.add_pair(geomname1=f"contact_{a}_l", geomname2=f"contact_{b}_r")


def _make_sagittal(spec: mujoco.MjSpec) -> None:
    """Replace the free root by forward slide, vertical slide and pitch; remove out-of-plane joints."""
    root = spec.body(ROOT_BODY)
    for joint in list(root.joints):
        spec.delete(joint)
    # Axes are in the root body frame, which is turned +90 deg about z (see _FACE_X).
    for name, kind, axis in (
        ("root_x", mujoco.mjtJoint.mjJNT_SLIDE, (0.0, -1.0, 0.0)),
        ("root_z", mujoco.mjtJoint.mjJNT_SLIDE, (0.0, 0.0, 1.0)),
        ("root_pitch", mujoco.mjtJoint.mjJNT_HINGE, (1.0, 0.0, 0.0)),
    ):
        joint = root.add_joint(name=name, type=kind, axis=axis)
        joint.limited = mujoco.mjtLimited.mjLIMITED_FALSE
        joint.armature = 0.0
        joint.damping = np.zeros(3)
    for base in OUT_OF_PLANE_JOINTS:
        for side in SIDES:
            joint = spec.joint(f"{base}_{side}")
            if joint is not None:
                spec.delete(joint)


def _scale_mass(spec: mujoco.MjSpec, target_kg: float) -> None:
    """Scale every segment's mass and inertia; inertials are frozen from a compile so none is missed."""
    model = compile_spec(spec)
    total = float(model.body_subtreemass[0])
    factor = target_kg / total
    for b in range(1, model.nbody):
        body = spec.body(model.body(b).name)
        body.explicitinertial = True
        body.mass = float(model.body_mass[b]) * factor
        body.inertia = model.body_inertia[b] * factor
        body.ipos = model.body_ipos[b]
        body.iquat = model.body_iquat[b]
        body.fullinertia = np.full(6, np.nan)
    logger.info("scaled body mass %.2f kg -> %.2f kg (x%.4f)", total, target_kg, factor)


def _foot_geoms(model: mujoco.MjModel) -> np.ndarray:
    ids = [g for g in range(model.ngeom) if model.geom_contype[g] and model.geom_bodyid[g] > 0]
    return np.asarray(ids, dtype=int)


def _lowest_foot_point(model: mujoco.MjModel) -> float:
    """Lowest z of the colliding body geoms at qpos0 (capsule/sphere exact, meshes by vertices)."""
    data = mujoco.MjData(model)
    mujoco.mj_kinematics(model, data)
    low = np.inf
    for g in _foot_geoms(model):
        if model.geom_type[g] == mujoco.mjtGeom.mjGEOM_MESH:
            mesh = model.geom_dataid[g]
            start, n = model.mesh_vertadr[mesh], model.mesh_vertnum[mesh]
            verts = data.geom_xpos[g] + model.mesh_vert[start : start + n] @ data.geom_xmat[g].reshape(3, 3).T
            low = min(low, float(verts[:, 2].min()))
        elif model.geom_type[g] == mujoco.mjtGeom.mjGEOM_CAPSULE:
            axis = data.geom_xmat[g].reshape(3, 3)[:, 2]
            ends = data.geom_xpos[g][2] + np.array([1.0, -1.0]) * axis[2] * model.geom_size[g][1]
            low = min(low, float(ends.min() - model.geom_size[g][0]))
        else:
            low = min(low, float(data.geom_xpos[g][2] - model.geom_rbound[g]))
    return low


#: myolegs26 calf muscle -> the myolegs muscle whose force-length operating range it takes.
CALF_MATCH = {"soleus": "soleus", "gastroc": "gasmed"}
#: Ankle angles (rad, knee straight) at which the normalised fibre lengths are matched.
_CALF_ANKLE_RAD = (0.0, np.deg2rad(-20.0))


def _fibre_length_map(model: mujoco.MjModel, actuator: str) -> tuple[np.ndarray, np.ndarray]:
    """(actuator lengths, normalised fibre lengths L/L0) at the matching ankle angles, other joints at qpos0."""
    i = model.actuator(actuator).id
    side = actuator.rsplit("_", 1)[1]
    data = mujoco.MjData(model)
    lengths = []
    for angle in _CALF_ANKLE_RAD:
        mujoco.mj_resetData(model, data)
        data.qpos[model.joint(f"ankle_angle_{side}").qposadr[0]] = angle
        mujoco.mj_forward(model, data)
        lengths.append(float(data.actuator_length[i]))
    length = np.asarray(lengths)
    r0, r1 = model.actuator_gainprm[i, :2]
    lr0, lr1 = model.actuator_lengthrange[i]
    return length, r0 + (length - lr0) * (r1 - r0) / (lr1 - lr0)  # MuJoCo's muscle length normalisation


def ankle_force_length(model: mujoco.MjModel, actuator: str, ankle_rad: float) -> float:
    """Active force-length factor (0-1, MuJoCo's muscle curve) of a muscle at an ankle angle of its
    side, every other joint at qpos0: how much of its peak force it can give there."""
    data = mujoco.MjData(model)
    data.qpos[model.joint(f"ankle_angle_{actuator.rsplit('_', 1)[1]}").qposadr[0]] = ankle_rad
    mujoco.mj_forward(model, data)
    i = model.actuator(actuator).id
    gain = mujoco.mju_muscleGain(data.actuator_length[i], 0.0, model.actuator_lengthrange[i], model.actuator_acc0[i],
                                 model.actuator_gainprm[i, :9])
    return float(-gain / model.actuator_gainprm[i, 2])


def _calf_from_myolegs(spec: mujoco.MjSpec, blend: float) -> None:
    """Remap soleus and gastrocnemius so their normalised fibre length at 0 and -20 deg of ankle angle,
    and their force-length shape (lmin, lmax, passive fpmax), are those of myolegs' soleus and medial
    gastrocnemius (``blend`` 1; a fraction blends each parameter linearly from myolegs26's own); peak
    forces stay myolegs26's. Only the muscle model's operating range changes."""
    ours, ref = compile_spec(spec), _myolegs_reference()
    for name, ref_name in CALF_MATCH.items():
        for side in SIDES:
            length, _ = _fibre_length_map(ours, f"{name}_{side}")
            _, target = _fibre_length_map(ref, f"{ref_name}_{side}")
            slope = (target[1] - target[0]) / (length[1] - length[0])  # 1 / L0
            lr0, lr1 = ours.actuator_lengthrange[ours.actuator(f"{name}_{side}").id]
            r = target[0] + slope * (np.array([lr0, lr1]) - length[0])
            shape = ref.actuator_gainprm[ref.actuator(f"{ref_name}_{side}").id]
            act = spec.actuator(f"{name}_{side}")
            for prm in (act.gainprm, act.biasprm):
                for k, value in zip((0, 1, 4, 5, 7), (*r, shape[4], shape[5], shape[7]), strict=True):
                    prm[k] = (1.0 - blend) * prm[k] + blend * value
    logger.info("calf force-length operating range %.2f of the way to myolegs' (%s)", blend,
                ", ".join(f"{a} <- {b}" for a, b in CALF_MATCH.items()))


def body_spec(cfg: BodyConfig) -> mujoco.MjSpec:
    """The bare body (no exo) on a ground plane, facing +x, feet on the ground."""
    spec = _load_myo_spec(cfg.base)
    spec.modelname = f"hip_exo_{cfg.name}"
    _replace_scene(spec, cfg.floor_friction)
    root = spec.body(ROOT_BODY)
    root.quat = _FACE_X
    if cfg.feet == "primitive":
        _primitive_feet(spec, cfg.foot_collision)
    if cfg.sagittal:
        _make_sagittal(spec)
    elif cfg.hip_rotation_stiffness_nm_per_rad:
        for side in SIDES:
            joint = spec.joint(f"hip_rotation_{side}")
            joint.stiffness = [cfg.hip_rotation_stiffness_nm_per_rad, *joint.stiffness[1:]]  # linear term, toward springref 0
    if cfg.hip_extension_limit_deg is not None:
        for side in SIDES:
            joint = spec.joint(f"hip_flexion_{side}")
            joint.range = [-np.radians(cfg.hip_extension_limit_deg), joint.range[1]]
    if cfg.body_mass_kg is not None:
        _scale_mass(spec, cfg.body_mass_kg)
    if cfg.calf_from_myolegs > 0.0:
        _calf_from_myolegs(spec, cfg.calf_from_myolegs)
    if cfg.coupling_timeconst_s is not None:
        for eq in spec.equalities:
            if eq.type == mujoco.mjtEq.mjEQ_JOINT:  # joint-angle couplings (path points, knee translations)
                eq.solref = [cfg.coupling_timeconst_s, eq.solref[1]]
    spec.option.iterations = cfg.solver_iterations
    spec.option.ls_iterations = cfg.ls_iterations
    # Put the lowest foot point 1 mm above the ground at the reference pose.
    drop = _lowest_foot_point(compile_spec(spec)) - 0.001
    root.pos = (root.pos[0], root.pos[1], root.pos[2] - drop)
    return spec
