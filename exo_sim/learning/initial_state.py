"""Mid-stride initial states: legs staggered as at heel strike, instead of the env's standing pose.

The env starts every episode standing with the feet together and the whole body moving at the
target speed, a state from which the body topples within ~0.7 s unless a leg is already
swinging. Here the hips are set to a leading / trailing pair (leading side random per episode),
knees slightly flexed, and the body lowered so the lowest contact capsule touches the ground.

This writes the env's MjData and re-reads the observation through ``WalkVecEnv._observe``;
WalkVecEnv has no public hook for a custom initial pose (requested: ``EnvConfig.init_pose``).
"""

from __future__ import annotations

from dataclasses import dataclass

import mujoco
import numpy as np

from exo_interfaces.params import check_fields, param
from exo_sim.env.walk import WalkVecEnv


@dataclass(frozen=True, kw_only=True)
class InitialStateConfig:
    """Staggered-leg start; ``stagger_hip_rad = 0`` keeps the env's standing start."""

    stagger_hip_rad: float = param(0.0, "Leading hip flexion (trailing hip gets -0.7 x this), rad; 0 = env default.", ge=0.0, le=0.8)
    knee_flex_rad: float = param(0.1, "Knee flexion of both legs at the start, rad.", ge=0.0, le=1.0)
    jitter_rad: float = param(0.03, "Uniform noise on the staggered joint angles, rad.", ge=0.0, le=0.3)

    def __post_init__(self) -> None:
        check_fields(self)

    @property
    def enabled(self) -> bool:
        return self.stagger_hip_rad > 0.0


class Stagger:
    """Applies :class:`InitialStateConfig` to env i right after its reset."""

    def __init__(self, cfg: InitialStateConfig, env: WalkVecEnv) -> None:
        self.cfg = cfg
        m = env.sim.model
        q = {j: m.jnt_qposadr[m.joint(j).id] for j in ("hip_flexion_l", "hip_flexion_r", "knee_angle_l", "knee_angle_r")}
        self.hip = np.array([q["hip_flexion_l"], q["hip_flexion_r"]])
        self.knee = np.array([q["knee_angle_l"], q["knee_angle_r"]])
        root = m.joint(env.index.root_joints[0])
        if root.type[0] == mujoco.mjtJoint.mjJNT_FREE:
            self.root_z = int(m.jnt_qposadr[root.id] + 2)
        else:
            self.root_z = int(m.jnt_qposadr[m.joint("root_z").id])
        self.contact = np.array([g for g in range(m.ngeom) if m.geom_contype[g] and m.geom_bodyid[g] > 0
                                 and m.geom_type[g] == mujoco.mjtGeom.mjGEOM_CAPSULE])
        self.sizes = m.geom_size[self.contact]  # capsule (radius, half length)

    def apply(self, env: WalkVecEnv, i: int, rng: np.random.Generator) -> None:
        """Stagger env i's legs (its MjData and the env's state arrays)."""
        c = self.cfg
        if not c.enabled:
            return
        model, data = env.physics.models[i], env.physics.datas[i]
        lead = int(rng.integers(2))
        hips = np.empty(2)
        hips[lead], hips[1 - lead] = c.stagger_hip_rad, -0.7 * c.stagger_hip_rad
        data.qpos[self.hip] = hips + rng.uniform(-1, 1, 2) * c.jitter_rad
        data.qpos[self.knee] = -c.knee_flex_rad + rng.uniform(-1, 1, 2) * c.jitter_rad
        mujoco.mj_kinematics(model, data)
        data.qpos[self.root_z] -= self._lowest(data) - 0.001
        mujoco.mj_forward(model, data)
        env.physics.sync_from_data(i)

    def _lowest(self, data: mujoco.MjData) -> float:
        """Lowest z of the foot contact capsules."""
        g = self.contact
        axis_z = data.geom_xmat[g].reshape(-1, 3, 3)[:, 2, 2]
        return float(np.min(data.geom_xpos[g, 2] - np.abs(axis_z) * self.sizes[:, 1] - self.sizes[:, 0]))


def observe(env: WalkVecEnv) -> np.ndarray:
    """The env's observation of its current state (after a state change made here)."""
    return env._observe().astype(np.float32)  # no public re-observe in WalkVecEnv
