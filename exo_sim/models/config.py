"""Configuration of the simulated body and of the exo worn on it (SI units throughout)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from exo_interfaces.params import check_fields, param

BodyName = Literal["myolegs26", "myolegs", "myolegs26_sagittal", "myolegs_sagittal"]

#: Each hip's extension limit in myo-sim's models, deg (myolegs26_chain.xml: -0.349 rad; myolegs_chain.xml: -0.523599 rad).
MYO_SIM_HIP_EXTENSION_LIMIT_DEG = {"myolegs26": math.degrees(0.349), "myolegs": math.degrees(0.523599)}

#: AK80-9 rated peak torque; no config may ask the simulated motor for more.
AK80_9_PEAK_TORQUE_NM = 18.0


@dataclass(frozen=True, kw_only=True)
class BodyConfig:
    """Which musculoskeletal body to build and how its contacts and solver are set up."""

    name: BodyName = param(
        "myolegs26",
        "Body: 'myolegs26' (26 muscles, 3D, default), 'myolegs' (80 muscles, 3D), or a "
        "'*_sagittal' variant (root = forward slide, vertical slide, pitch hinge; hip "
        "adduction/rotation and subtalar joints removed).",
    )
    body_mass_kg: float | None = param(
        None, "Scale segment masses and inertias to this total body mass (exo excluded); null keeps myo-sim's.", ge=30.0, le=150.0
    )
    feet: Literal["primitive", "mesh"] = param(
        "primitive",
        "Foot contact geometry: 'primitive' (myolegs' foot capsules on both bodies, all other body "
        "collisions off; fast) or 'mesh' (myo-sim's original collision setup).",
    )
    foot_collision: bool = param(True, "With primitive feet: left-right foot capsule pairs so the feet cannot pass through each other.")
    solver_iterations: int = param(20, "Constraint solver iteration cap (myo-sim: 100).", ge=1, le=1000)
    ls_iterations: int = param(10, "Solver line-search iteration cap (myo-sim: 50).", ge=1, le=1000)
    floor_friction: float = param(1.0, "Sliding friction coefficient of the ground.", gt=0.0, le=3.0)
    calf_from_myolegs: float = param(
        0.0,
        "myolegs26 only: how far soleus and gastrocnemius take the force-length operating range of the same "
        "muscles in myo-sim's 80-muscle myolegs (soleus, medial gastrocnemius): 0 = myolegs26's own, 1 = "
        "myolegs', between = linear blend of the muscle parameters (for continuation). myolegs26's calf works "
        "on the steep ascending limb: active force-length factor 0.19 (soleus) and 0.34 (gastrocnemius) at "
        "20 deg of plantarflexion, where myolegs' keep 0.76 and 1.0, so push-off has a third of the force.",
        ge=0.0, le=1.0,
    )
    coupling_timeconst_s: float | None = param(
        None,
        "Time constant (MuJoCo solref) of the equality constraints that move muscle path points and the knee's "
        "translations with the joint angles, s; null keeps myo-sim's 0.02 s. These soft couplings give way under "
        "muscle force and dissipate 0.26-1.14 W/kg in the tuned gaits (the vasti's path point most; "
        "artifacts/teacher/README.md, stop 26); 0.0032 s cuts that by two thirds but needs a physics timestep of at "
        "most a third of it (EnvConfig checks).",
        ge=0.001, le=0.1,
    )

    hip_extension_limit_deg: float | None = param(
        None,
        "Each hip's flexion joint limit on the extension side, deg of extension (positive); null keeps myo-sim's: "
        "0.349 rad (19.996 deg) on myolegs26, 0.5236 rad (30 deg) on myolegs. 20.0 is "
        "not null: the walks are chaotic, and a 0.004 deg change moves single falls. The myolegs26 gaits tuned here rest "
        "the stance hip on its 20 deg limit for a third of the stride or more, gluteus maximus pushing into it, and "
        "fall within 2 s if it is 4 deg wider (artifacts/teacher/README.md, stops 38 and 40).",
        ge=5.0, le=40.0,
    )
    hip_rotation_stiffness_nm_per_rad: float = param(
        0.0,
        "3D bodies: passive stiffness of each hip's rotation about the thigh's long axis, toward neutral, Nm/rad "
        "(0 = myo-sim's, none). myolegs26 has no hip rotator muscles: gluteus maximus, the abductors and adductors "
        "all turn the hip the same way (moment arms 2.2, 0.7 and 0.3 cm at the standing pose), so without a "
        "passive restraint the joint sits on its 40 deg limit; people's hip capsule and rotators hold it.",
        ge=0.0, le=1000.0,
    )

    def __post_init__(self) -> None:
        check_fields(self)
        if self.hip_rotation_stiffness_nm_per_rad and self.sagittal:
            raise ValueError(f"BodyConfig: hip_rotation_stiffness_nm_per_rad needs a 3D body; {self.name!r} has no hip rotation")
        if self.calf_from_myolegs and self.base != "myolegs26":
            raise ValueError(f"BodyConfig: calf_from_myolegs applies to the myolegs26 bodies, not {self.name!r} (it has myolegs' calf)")

    @property
    def base(self) -> Literal["myolegs26", "myolegs"]:
        """The myo-sim model the body is built from."""
        return "myolegs26" if self.name.startswith("myolegs26") else "myolegs"

    @property
    def hip_extension_limit(self) -> float:
        """Each hip's extension limit as built, deg: the option's, else myo-sim's."""
        if self.hip_extension_limit_deg is not None:
            return self.hip_extension_limit_deg
        return MYO_SIM_HIP_EXTENSION_LIMIT_DEG[self.base]

    @property
    def sagittal(self) -> bool:
        """True for the plane-locked variants."""
        return self.name.endswith("_sagittal")


@dataclass(frozen=True, kw_only=True)
class ExoConfig:
    """The hip exo: pelvis belt, two hip motors (AK80-9) and two thigh cuffs."""

    belt_mass_kg: float = param(1.5, "Pelvis belt with battery and computer, centred behind the sacrum.", ge=0.0, le=10.0)
    motor_mass_kg: float = param(0.5, "Each motor housing, at the lateral side of its hip joint (on the pelvis).", ge=0.0, le=3.0)
    cuff_mass_kg: float = param(0.3, "Each thigh cuff with its strut, centred 0.2 m below the hip on the thigh.", ge=0.0, le=3.0)
    torque_limit_nm: float = param(
        15.0, "Motor torque limit (actuator ctrlrange and forcerange), Nm.", gt=0.0, le=AK80_9_PEAK_TORQUE_NM
    )
    rotor_inertia_kgm2: float = param(
        4.9e-3, "Rotor inertia reflected through the gearbox (AK80-9: 6.07e-5 kg m^2 x 9^2), added as joint armature.", ge=0.0, le=0.1
    )
    friction_nm: float = param(0.1, "Coulomb friction of the backdriven drive (joint frictionloss), Nm.", ge=0.0, le=5.0)
    thigh_imu_offset_m: float = param(0.2, "Distance of each thigh IMU below the hip joint along the femur, m.", ge=0.05, le=0.4)

    def __post_init__(self) -> None:
        check_fields(self)
