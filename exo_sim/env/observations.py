"""The teacher's privileged observation: named blocks assembled from the physics arrays.

Each block knows how it maps under left/right mirroring (a permutation and signs), so the env
can mirror observations and actions by gait phase with two vector ops.
World-frame vectors are in the ground frame: x forward, y left, z up (the slope tilts gravity).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from exo_sim.models.build import ModelIndex

_VEC = np.array([1.0, -1.0, 1.0])  # mirrored polar vector, ground frame
_AXIAL = np.array([-1.0, 1.0, -1.0])  # mirrored angular velocity (pseudo-vector)
_QUAT = np.array([1.0, -1.0, 1.0, -1.0])
_SEGMENT_VEC = np.array([1.0, 1.0, -1.0])  # myo-sim segment frame: x forward, y up, z right
#: Vertical force of the left and right foot within a ground-force block (foot_l_force then foot_r_force,
#: x y z each): the sensor columns ``SensorColumns.grf`` and the observation ``grf_per_bw`` alike.
GRF_Z = (2, 5)


def pelvis_pitch_rad(quat: np.ndarray) -> np.ndarray:
    """Pitch about the ground's y axis of (..., 4) pelvis quaternions (w, x, y, z), rad, forward
    lean positive: the trunk angle the reflexes balance, the tuning costs and the evaluation reports."""
    q = np.asarray(quat)
    return 2.0 * np.arctan2(q[..., 2], q[..., 0])


def _pelvis_up(quat: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pelvis's up axis in the ground frame (x, y, z) from (..., 4) quaternions (w, x, y, z).
    The pelvis frame is myo-sim's segment frame (x forward, y up, z right); a mirrored observation
    turns its y axis down, so the up axis is whichever sign of it points up."""
    w, x, y, z = np.moveaxis(np.asarray(quat, dtype=float), -1, 0)
    up = np.stack([2.0 * (x * y - w * z), 1.0 - 2.0 * (x * x + z * z), 2.0 * (y * z + w * x)])
    up = up * np.where(up[2] < 0.0, -1.0, 1.0)
    return up[0], up[1], up[2]


def pelvis_roll_rad(quat: np.ndarray) -> np.ndarray:
    """Roll about the ground's x axis (forward) of (..., 4) pelvis quaternions, rad, positive when
    the pelvis tilts toward the right (right side down); 0 on the sagittal bodies."""
    _, up_y, _ = _pelvis_up(quat)
    return -np.arcsin(np.clip(up_y, -1.0, 1.0))


def pelvis_lean_rad(quat: np.ndarray) -> np.ndarray:
    """Forward lean of the pelvis's up axis in the ground's sagittal plane, rad: equal to
    :func:`pelvis_pitch_rad` when the pelvis only pitches, and unlike it unaffected by roll and
    heading (the 3D body's trunk angle)."""
    up_x, _, up_z = _pelvis_up(quat)
    return np.arctan2(up_x, up_z)


def pelvis_yaw_rad(quat: np.ndarray) -> np.ndarray:
    """Heading of the pelvis's forward (segment x) axis from the ground's x axis, rad, + = turned left."""
    w, x, y, z = np.moveaxis(np.asarray(quat, dtype=float), -1, 0)
    return np.arctan2(2.0 * (x * y + w * z), 1.0 - 2.0 * (y * y + z * z))


def heel_lateral_m(feet_rel_pelvis: np.ndarray, roll: np.ndarray) -> np.ndarray:
    """(N, 2) sideways offsets of the left and right heels from the pelvis, m, + = to the left, level
    with the ground: the feet_rel_pelvis_m block (N, 12; pelvis segment frame, x forward, y up, z
    right) turned by the pelvis roll (:func:`pelvis_roll_rad`, + = right side down). The yaw is not
    turned out, so the offsets are across the pelvis's heading. Mirrored observations give the mirror
    image: their roll and segment z both change sign."""
    f = np.asarray(feet_rel_pelvis, dtype=float)
    s, c = np.sin(roll)[:, None], np.cos(roll)[:, None]
    up, right = f[:, [1, 7]], f[:, [2, 8]]
    return -(up * s + right * c)


def partner_permutation(names: tuple[str, ...]) -> np.ndarray:
    """Index of each name's other-side partner ('_l' <-> '_r')."""
    where = {n: i for i, n in enumerate(names)}
    swap = {"_l": "_r", "_r": "_l"}
    return np.asarray([where[n[:-2] + swap[n[-2:]]] for n in names])


@dataclass(frozen=True)
class Block:
    """A named slice of a vector with its mirror map."""

    name: str
    size: int
    perm: np.ndarray
    sign: np.ndarray


@dataclass(frozen=True)
class Layout:
    """Named blocks of a vector, with the global mirror permutation and signs."""

    blocks: tuple[Block, ...]

    @property
    def size(self) -> int:
        """Total length."""
        return sum(b.size for b in self.blocks)

    def slices(self) -> dict[str, slice]:
        """Block name -> slice."""
        out, start = {}, 0
        for b in self.blocks:
            out[b.name] = slice(start, start + b.size)
            start += b.size
        return out

    def mirror_map(self) -> tuple[np.ndarray, np.ndarray]:
        """(perm, sign): mirrored = x[..., perm] * sign."""
        perms, signs, start = [], [], 0
        for b in self.blocks:
            perms.append(b.perm + start)
            signs.append(b.sign)
            start += b.size
        return np.concatenate(perms), np.concatenate(signs)


def _swap_halves(n: int) -> np.ndarray:
    return np.r_[np.arange(n // 2, n), np.arange(n // 2)]


def observation_layout(index: ModelIndex) -> Layout:
    """The privileged observation's blocks, in order."""
    nm, nj = len(index.muscles), len(index.bio_joints)
    mperm, jperm = partner_permutation(index.muscles), partner_permutation(index.bio_joints)
    ones = np.ones
    blocks = [
        Block("muscle_length_m", nm, mperm, ones(nm)),
        Block("muscle_velocity_mps", nm, mperm, ones(nm)),
        Block("muscle_force_norm", nm, mperm, ones(nm)),
        Block("muscle_activation", nm, mperm, ones(nm)),
        Block("muscle_excitation", nm, mperm, ones(nm)),
        Block("head_quat", 4, np.arange(4), _QUAT),
        Block("head_angvel_rps", 3, np.arange(3), _AXIAL),
        Block("pelvis_quat", 4, np.arange(4), _QUAT),
        Block("pelvis_angvel_rps", 3, np.arange(3), _AXIAL),
        # calcn_l, toes_l, calcn_r, toes_r relative to the pelvis, pelvis frame
        Block("feet_rel_pelvis_m", 12, _swap_halves(12), np.tile(_SEGMENT_VEC, 4)),
        Block("joint_pos_rad", nj, jperm, index.bio_mirror_sign),
        Block("joint_vel_rps", nj, jperm, index.bio_mirror_sign),
        Block("grf_per_bw", 6, _swap_halves(6), np.tile(_VEC, 2)),
        Block("exo_torque_norm", 2, np.array([1, 0]), ones(2)),
        Block("com_vel_mps", 3, np.arange(3), _VEC),
        Block("target_speed_mps", 1, np.zeros(1, int), ones(1)),
        Block("slope_rad", 1, np.zeros(1, int), ones(1)),
        Block("com_height_m", 1, np.zeros(1, int), ones(1)),
        Block("gait_phase", 1, np.zeros(1, int), ones(1)),
    ]
    return Layout(tuple(blocks))


def action_layout(index: ModelIndex, k: int, residual: bool) -> Layout:
    """[k left synergies, k right synergies, (residual per muscle), exo left, exo right]."""
    nm = len(index.muscles)
    blocks = [Block("synergy", 2 * k, _swap_halves(2 * k), np.ones(2 * k))]
    if residual:
        blocks.append(Block("residual", nm, partner_permutation(index.muscles), np.ones(nm)))
    blocks.append(Block("exo", 2, np.array([1, 0]), np.ones(2)))
    return Layout(tuple(blocks))


@dataclass(frozen=True)
class SensorColumns:
    """sensordata slices used by observations, rewards and metrics, resolved once."""

    muscle_len: slice
    muscle_vel: slice
    muscle_frc: slice
    head_quat: slice
    head_angvel: slice
    pelvis_quat: slice
    pelvis_angvel: slice
    feet_rel: slice
    heel_z: np.ndarray
    com_pos: slice
    com_vel: slice
    grf: slice
    exo_torque: slice
    joint_actfrc: slice
    joint_limitfrc: slice

    @classmethod
    def from_index(cls, ix: ModelIndex) -> SensorColumns:
        """Resolve from the model index (sensor order is fixed by exo_sim.models.sensors)."""
        m0, m1 = ix.muscles[0], ix.muscles[-1]
        j0, j1 = ix.moment_joints[0], ix.moment_joints[-1]
        return cls(
            muscle_len=ix.span(f"muscle_len_{m0}", f"muscle_len_{m1}"),
            muscle_vel=ix.span(f"muscle_vel_{m0}", f"muscle_vel_{m1}"),
            muscle_frc=ix.span(f"muscle_frc_{m0}", f"muscle_frc_{m1}"),
            head_quat=ix.sensor("head_quat"),
            head_angvel=ix.sensor("head_angvel"),
            pelvis_quat=ix.sensor("pelvis_quat"),
            pelvis_angvel=ix.sensor("pelvis_angvel"),
            feet_rel=ix.span("calcn_l_rel_pelvis", "toes_r_rel_pelvis"),
            heel_z=np.asarray([ix.sensor("heel_l_pos").start + 2, ix.sensor("heel_r_pos").start + 2]),
            com_pos=ix.sensor("com_pos"),
            com_vel=ix.sensor("com_vel"),
            grf=ix.span("foot_l_force", "foot_r_force"),
            exo_torque=ix.span("exo_hip_l_torque", "exo_hip_r_torque"),
            joint_actfrc=ix.span(f"{j0}_actfrc", f"{j1}_actfrc"),
            joint_limitfrc=ix.span(f"{j0}_limitfrc", f"{j1}_limitfrc"),
        )
