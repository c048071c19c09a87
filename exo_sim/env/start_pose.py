"""The mid-gait start pose of :class:`~exo_sim.env.config.StartPoseConfig`, applied to MjData.

Hips and knees are set to a leading / trailing pair (leading side drawn per episode) and the body
lowered so the lowest foot contact capsule is 1 mm above the ground.
"""

from __future__ import annotations

import mujoco
import numpy as np

from exo_sim.env.config import StartPoseConfig
from exo_sim.models.build import ModelIndex


class StartPose:
    """Writes the start pose into one env's MjData (joint angles, root height and, on a 3D body, sideways speed)."""

    def __init__(self, cfg: StartPoseConfig, model: mujoco.MjModel, index: ModelIndex) -> None:
        self.cfg = cfg
        q = {j: model.jnt_qposadr[model.joint(j).id] for j in ("hip_flexion_l", "hip_flexion_r", "knee_angle_l", "knee_angle_r")}
        self.hip = np.array([q["hip_flexion_l"], q["hip_flexion_r"]])
        self.knee = np.array([q["knee_angle_l"], q["knee_angle_r"]])
        root = model.joint(index.root_joints[0])
        self.root_pitch: int | None = None
        self.root_vy: int | None = None  # the root's sideways velocity dof (free root only)
        if root.type[0] == mujoco.mjtJoint.mjJNT_FREE:
            self.root_vy = int(model.jnt_dofadr[root.id] + 1)  # free joint: world-frame linear velocity first
            self.root_z = int(model.jnt_qposadr[root.id] + 2)
            self.root_quat = slice(int(model.jnt_qposadr[root.id]) + 3, int(model.jnt_qposadr[root.id]) + 7)
        else:
            self.root_z = int(model.jnt_qposadr[model.joint("root_z").id])
            self.root_pitch = int(model.jnt_qposadr[model.joint("root_pitch").id])
        self.contact = np.array([g for g in range(model.ngeom) if model.geom_contype[g] and model.geom_bodyid[g] > 0
                                 and model.geom_type[g] == mujoco.mjtGeom.mjGEOM_CAPSULE])
        self.sizes = model.geom_size[self.contact]  # capsule (radius, half length)
        if cfg.lateral_speed_mps and self.root_vy is None:
            raise ValueError(f"start.lateral_speed_mps {cfg.lateral_speed_mps}: the body has no sideways degree of freedom "
                             "(a sagittal body); use 0")

    def apply(self, model: mujoco.MjModel, data: mujoco.MjData, rng: np.random.Generator, slope_rad: float = 0.0) -> None:
        """Stagger the legs of ``data`` (no-op when the config is disabled); the caller runs mj_forward."""
        c = self.cfg
        if not c.enabled:
            return
        if c.gravity_upright:
            self._pitch(data, slope_rad)
        lead = int(rng.integers(2))
        hips, knees = np.empty(2), np.empty(2)
        hips[lead], hips[1 - lead] = c.lead_hip_rad, c.trail_hip_rad
        knees[lead], knees[1 - lead] = -c.lead_knee_rad, -c.trail_knee_rad  # knee angle: flexion negative
        data.qpos[self.hip] = hips + rng.uniform(-1, 1, 2) * c.jitter_rad
        data.qpos[self.knee] = knees + rng.uniform(-1, 1, 2) * c.jitter_rad
        if self.root_vy is not None and c.lateral_speed_mps:
            data.qvel[self.root_vy] = c.lateral_speed_mps if lead == 0 else -c.lateral_speed_mps  # + = toward the left
        mujoco.mj_kinematics(model, data)
        data.qpos[self.root_z] -= self.lowest_contact_z(data) - 0.001

    def _pitch(self, data: mujoco.MjData, slope_rad: float) -> None:
        """Pitch the root forward (uphill) or back (downhill) by the slope angle."""
        if self.root_pitch is not None:
            data.qpos[self.root_pitch] += slope_rad  # sagittal body: hinge, + = forward lean
            return
        q = data.qpos[self.root_quat]  # free root: w, x, y, z; forward lean is about the world +y axis
        turn = np.array([np.cos(slope_rad / 2), 0.0, np.sin(slope_rad / 2), 0.0])
        out = np.empty(4)
        mujoco.mju_mulQuat(out, turn, q)
        data.qpos[self.root_quat] = out

    def lowest_contact_z(self, data: mujoco.MjData) -> float:
        """Lowest z of the foot contact capsules."""
        g = self.contact
        axis_z = data.geom_xmat[g].reshape(-1, 3, 3)[:, 2, 2]
        return float(np.min(data.geom_xpos[g, 2] - np.abs(axis_z) * self.sizes[:, 1] - self.sizes[:, 0]))
