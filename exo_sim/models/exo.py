"""The hip exo added to a body spec: masses, hip motors, drive inertia/friction, IMU sites."""

from __future__ import annotations

import mujoco
import numpy as np

from exo_sim.models.config import ExoConfig

SIDES = ("l", "r")
#: Motor actuator names, in the contract's joint order (left, right).
MOTORS = ("exo_hip_l", "exo_hip_r")
HIP_JOINTS = ("hip_flexion_l", "hip_flexion_r")
IMU_SITES = ("imu_pelvis", "imu_thigh_l", "imu_thigh_r")
#: Site frame in a myo-sim segment frame (x forward, y up, z right) turned to x forward,
#: y left, z up: a -90 deg turn about x. The IMU frames of exo_interfaces.contract.
_IMU_QUAT = (np.sqrt(0.5), -np.sqrt(0.5), 0.0, 0.0)
#: Thigh surface distance from the femur axis, m (mid-thigh radius of a 1.75 m adult).
_THIGH_RADIUS_M = 0.07
#: Lateral distance of each motor's centre from its hip joint centre, m.
_MOTOR_LATERAL_M = 0.09


def _lateral(side: str) -> float:
    """Sign of the lateral direction along a myo-sim segment's z axis (z points right)."""
    return 1.0 if side == "r" else -1.0


def _box_inertia(mass: float, size: tuple[float, float, float]) -> tuple[float, float, float]:
    x, y, z = (2.0 * s for s in size)
    return (mass * (y * y + z * z) / 12.0, mass * (x * x + z * z) / 12.0, mass * (x * x + y * y) / 12.0)


def _add_mass(parent: mujoco.MjsBody, name: str, mass: float, pos: tuple[float, float, float],
              half_size: tuple[float, float, float]) -> mujoco.MjsBody:
    """A welded child body with a box's mass and inertia, and a box for looks (no collisions)."""
    body = parent.add_body(name=name, pos=pos)
    body.explicitinertial = True
    body.mass = mass
    # A tiny floor keeps a massless part (mass 0 in config) valid for the compiler.
    body.inertia = np.maximum(_box_inertia(mass, half_size), 1e-9)
    geom = body.add_geom(name=f"{name}_geom", type=mujoco.mjtGeom.mjGEOM_BOX, size=half_size)
    geom.contype = 0
    geom.conaffinity = 0
    geom.density = 0.0
    geom.group = 1
    geom.rgba = (0.15, 0.15, 0.18, 1.0)
    return body


def add_exo(spec: mujoco.MjSpec, cfg: ExoConfig) -> None:
    """Add belt, motors, cuffs, IMU sites, hip encoders' joints' drive properties and motors."""
    pelvis = spec.body("pelvis")
    belt = _add_mass(pelvis, "exo_belt", cfg.belt_mass_kg, (-0.17, 0.02, 0.0), (0.03, 0.06, 0.15))
    belt.add_site(name="imu_pelvis", pos=(-0.035, 0.0, 0.0), quat=_IMU_QUAT, size=(0.01, 0.01, 0.01))
    for side in SIDES:
        hip = np.asarray(spec.body(f"femur_{side}").pos, dtype=float)
        motor_pos = hip + np.array([0.0, 0.0, _lateral(side) * _MOTOR_LATERAL_M])
        _add_mass(pelvis, f"exo_motor_{side}", cfg.motor_mass_kg, tuple(motor_pos), (0.05, 0.05, 0.02))
        cuff = _add_mass(
            spec.body(f"femur_{side}"), f"exo_cuff_{side}", cfg.cuff_mass_kg,
            (0.0, -cfg.thigh_imu_offset_m, 0.0), (0.075, 0.04, 0.075),
        )
        cuff.add_site(
            name=f"imu_thigh_{side}", pos=(0.0, 0.0, _lateral(side) * _THIGH_RADIUS_M), quat=_IMU_QUAT,
            size=(0.01, 0.01, 0.01),
        )
        joint = spec.joint(f"hip_flexion_{side}")
        joint.armature = joint.armature + cfg.rotor_inertia_kgm2
        joint.frictionloss = joint.frictionloss + cfg.friction_nm
        act = spec.add_actuator(name=f"exo_hip_{side}", target=f"hip_flexion_{side}")
        act.trntype = mujoco.mjtTrn.mjTRN_JOINT
        act.set_to_motor()
        act.gear = (1.0, 0.0, 0.0, 0.0, 0.0, 0.0)
        act.ctrllimited = mujoco.mjtLimited.mjLIMITED_TRUE
        act.ctrlrange = (-cfg.torque_limit_nm, cfg.torque_limit_nm)
        act.forcelimited = mujoco.mjtLimited.mjLIMITED_TRUE
        act.forcerange = (-cfg.torque_limit_nm, cfg.torque_limit_nm)
