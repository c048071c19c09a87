"""Build the compiled model of a body wearing the exo, with a name index for vectorised read-out."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import mujoco
import numpy as np

from exo_sim.models.body import body_spec, compile_spec
from exo_sim.models.config import BodyConfig, ExoConfig
from exo_sim.models.exo import HIP_JOINTS, MOTORS, add_exo
from exo_sim.models.sensors import MOMENT_JOINTS, add_device_sensors, add_privileged_sensors

logger = logging.getLogger(__name__)

SIDES = ("l", "r")
#: Anatomical joints observed by the teacher, per side, where the body has them.
BIO_JOINT_BASES = ("hip_flexion", "hip_adduction", "hip_rotation", "knee_angle", "ankle_angle", "subtalar_angle", "mtp_angle")


@dataclass(frozen=True)
class ModelIndex:
    """Indices into ctrl, act, qpos, qvel and sensordata, resolved once after compiling."""

    muscles: tuple[str, ...]
    muscle_ctrl: np.ndarray
    motor_ctrl: np.ndarray
    bio_joints: tuple[str, ...]
    bio_qpos: np.ndarray
    bio_qvel: np.ndarray
    hip_qpos: np.ndarray
    hip_qvel: np.ndarray
    root_joints: tuple[str, ...]
    sensors: dict[str, slice] = field(repr=False)
    muscle_max_force_n: np.ndarray = field(repr=False)
    #: Per bio joint: the sign its partner's angle takes under left/right mirroring (+1 where the two
    #: axes are mirror images, as hip flexion; -1 where both point the same way, as myolegs26's hip
    #: adduction and rotation, whose positive angle moves either foot to the same side).
    bio_mirror_sign: np.ndarray = field(repr=False)
    moment_joints: tuple[str, ...] = MOMENT_JOINTS

    def sensor(self, name: str) -> slice:
        """Slice of a named sensor in sensordata."""
        try:
            return self.sensors[name]
        except KeyError:
            raise KeyError(f"no sensor {name!r}; known: {sorted(self.sensors)}") from None

    def span(self, first: str, last: str) -> slice:
        """One slice from the start of sensor ``first`` to the end of sensor ``last`` (adjacent sensors)."""
        return slice(self.sensor(first).start, self.sensor(last).stop)


@dataclass(frozen=True)
class SimModel:
    """A compiled body-plus-exo model and its index."""

    model: mujoco.MjModel
    index: ModelIndex
    body: BodyConfig
    exo: ExoConfig

    @property
    def total_mass_kg(self) -> float:
        """Body plus exo."""
        return float(self.model.body_subtreemass[0])


def _index(model: mujoco.MjModel) -> ModelIndex:
    muscle_ids = [i for i in range(model.nu) if model.actuator_dyntype[i] == mujoco.mjtDyn.mjDYN_MUSCLE]
    motor_ids = [model.actuator(name).id for name in MOTORS]
    bio = tuple(
        f"{base}_{side}" for side in SIDES for base in BIO_JOINT_BASES
        if mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_JOINT, f"{base}_{side}") >= 0
    )
    sensors = {
        model.sensor(i).name: slice(int(model.sensor_adr[i]), int(model.sensor_adr[i] + model.sensor_dim[i]))
        for i in range(model.nsensor)
    }
    roots = tuple(
        model.joint(j).name for j in range(model.njnt) if model.jnt_bodyid[j] == model.body("Full Body").id
    )
    data = mujoco.MjData(model)
    mujoco.mj_kinematics(model, data)
    axis = {j: data.xaxis[model.joint(j).id] for j in bio}
    # Mirroring through the sagittal plane (y -> -y) turns a rotation about a into one about -M a (M = diag(1, -1, 1)).
    mirrored = {j: -axis[j] * np.array([1.0, -1.0, 1.0]) for j in bio}
    partner = {j: j[:-2] + {"_l": "_r", "_r": "_l"}[j[-2:]] for j in bio}
    mirror_sign = np.array([1.0 if np.dot(mirrored[j], axis[partner[j]]) > 0.0 else -1.0 for j in bio])
    return ModelIndex(
        muscles=tuple(model.actuator(i).name for i in muscle_ids),
        muscle_ctrl=np.asarray(muscle_ids),
        motor_ctrl=np.asarray(motor_ids),
        bio_joints=bio,
        bio_qpos=np.asarray([model.jnt_qposadr[model.joint(j).id] for j in bio]),
        bio_qvel=np.asarray([model.jnt_dofadr[model.joint(j).id] for j in bio]),
        hip_qpos=np.asarray([model.jnt_qposadr[model.joint(j).id] for j in HIP_JOINTS]),
        hip_qvel=np.asarray([model.jnt_dofadr[model.joint(j).id] for j in HIP_JOINTS]),
        root_joints=roots,
        sensors=sensors,
        muscle_max_force_n=np.asarray(model.actuator_gainprm[muscle_ids, 2], dtype=float),
        bio_mirror_sign=mirror_sign,
    )


def build_model(body: BodyConfig | None = None, exo: ExoConfig | None = None, *, timestep_s: float = 0.002) -> SimModel:
    """Compile the body wearing the exo. Muscles are actuators 0..nm-1, then the two motors (left, right)."""
    body = body or BodyConfig()
    exo = exo or ExoConfig()
    if not 1e-4 <= timestep_s <= 0.01:
        raise ValueError(f"timestep_s: value {timestep_s!r} is out of range; allowed [0.0001, 0.01]")
    spec = body_spec(body)
    for sensor in list(spec.sensors):
        spec.delete(sensor)
    add_exo(spec, exo)
    muscles = tuple(a.name for a in spec.actuators if a.dyntype == mujoco.mjtDyn.mjDYN_MUSCLE)
    add_device_sensors(spec)
    add_privileged_sensors(spec, muscles)
    spec.option.timestep = timestep_s
    model = compile_spec(spec)
    index = _index(model)
    logger.info(
        "built %s: nq=%d nv=%d nu=%d muscles=%d mass=%.2f kg dt=%.5f s",
        body.name, model.nq, model.nv, model.nu, len(index.muscles), model.body_subtreemass[0], timestep_s,
    )
    return SimModel(model=model, index=index, body=body, exo=exo)


def standing_height_m(model: mujoco.MjModel) -> float:
    """Top of the skull minus the ground, at the reference pose (meshes' vertices)."""
    data = mujoco.MjData(model)
    mujoco.mj_kinematics(model, data)
    top = -np.inf
    for g in range(model.ngeom):
        if model.geom_type[g] == mujoco.mjtGeom.mjGEOM_MESH and model.geom_bodyid[g] > 0:
            mesh = model.geom_dataid[g]
            start, n = model.mesh_vertadr[mesh], model.mesh_vertnum[mesh]
            verts = data.geom_xpos[g] + model.mesh_vert[start : start + n] @ data.geom_xmat[g].reshape(3, 3).T
            top = max(top, float(verts[:, 2].max()))
    return top
