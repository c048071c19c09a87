"""Sensors added to the model: the device's (IMUs, encoders, motor torque) and privileged ones.

Everything the env observes or logs is a sensor, so one array per step (``sensordata``) carries
it; a batched rollout then returns it for all envs at once.
"""

from __future__ import annotations

import mujoco

from exo_sim.models.exo import HIP_JOINTS, IMU_SITES, MOTORS

S = mujoco.mjtSensor
OBJ = mujoco.mjtObj
SIDES = ("l", "r")
#: Joints whose moments and limit torques are logged (biological joints of the gait metrics).
MOMENT_JOINTS = tuple(f"{j}_{s}" for s in SIDES for j in ("hip_flexion", "knee_angle", "ankle_angle"))
#: Contact sensor parameters: data = force (bit 1), reduce = net force in the world frame, one result.
_CONTACT_FORCE_NET = (2, 3, 1)


def _add(spec: mujoco.MjSpec, name: str, kind: mujoco.mjtSensor, objtype: mujoco.mjtObj, objname: str,
         **kw: object) -> None:
    spec.add_sensor(name=name, type=kind, objtype=objtype, objname=objname, **kw)


def add_device_sensors(spec: mujoco.MjSpec) -> None:
    """IMUs (gyro + accelerometer) on pelvis and thighs, hip encoders, motor torques."""
    for site in IMU_SITES:
        _add(spec, f"{site}_gyro", S.mjSENS_GYRO, OBJ.mjOBJ_SITE, site)
        _add(spec, f"{site}_acc", S.mjSENS_ACCELEROMETER, OBJ.mjOBJ_SITE, site)
    for joint in HIP_JOINTS:
        _add(spec, f"{joint}_pos", S.mjSENS_JOINTPOS, OBJ.mjOBJ_JOINT, joint)
    for joint in HIP_JOINTS:
        _add(spec, f"{joint}_vel", S.mjSENS_JOINTVEL, OBJ.mjOBJ_JOINT, joint)
    for motor in MOTORS:
        _add(spec, f"{motor}_torque", S.mjSENS_ACTUATORFRC, OBJ.mjOBJ_ACTUATOR, motor)


def add_privileged_sensors(spec: mujoco.MjSpec, muscles: tuple[str, ...]) -> None:
    """What the teacher and the metrics need beyond the state (qpos, qvel, act)."""
    for kind, tag in ((S.mjSENS_ACTUATORPOS, "len"), (S.mjSENS_ACTUATORVEL, "vel"), (S.mjSENS_ACTUATORFRC, "frc")):
        for muscle in muscles:
            _add(spec, f"muscle_{tag}_{muscle}", kind, OBJ.mjOBJ_ACTUATOR, muscle)
    for body in ("head", "pelvis"):
        _add(spec, f"{body}_quat", S.mjSENS_FRAMEQUAT, OBJ.mjOBJ_XBODY, body)
        _add(spec, f"{body}_angvel", S.mjSENS_FRAMEANGVEL, OBJ.mjOBJ_XBODY, body)
    for side in SIDES:
        for seg in ("calcn", "toes"):
            _add(spec, f"{seg}_{side}_rel_pelvis", S.mjSENS_FRAMEPOS, OBJ.mjOBJ_XBODY, f"{seg}_{side}",
                 reftype=OBJ.mjOBJ_XBODY, refname="pelvis")
    for side in SIDES:
        _add(spec, f"heel_{side}_pos", S.mjSENS_FRAMEPOS, OBJ.mjOBJ_XBODY, f"calcn_{side}")
    _add(spec, "com_pos", S.mjSENS_SUBTREECOM, OBJ.mjOBJ_BODY, "Full Body")
    _add(spec, "com_vel", S.mjSENS_SUBTREELINVEL, OBJ.mjOBJ_BODY, "Full Body")
    for side in SIDES:
        # Net contact force of the foot (calcn + toes subtree) on the ground, world frame.
        _add(spec, f"foot_{side}_force", S.mjSENS_CONTACT, OBJ.mjOBJ_XBODY, f"calcn_{side}",
             reftype=OBJ.mjOBJ_GEOM, refname="ground", intprm=_CONTACT_FORCE_NET)
    for joint in MOMENT_JOINTS:
        _add(spec, f"{joint}_actfrc", S.mjSENS_JOINTACTFRC, OBJ.mjOBJ_JOINT, joint)
    for joint in MOMENT_JOINTS:
        _add(spec, f"{joint}_limitfrc", S.mjSENS_JOINTLIMITFRC, OBJ.mjOBJ_JOINT, joint)
