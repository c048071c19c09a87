"""Sensor-to-body axis remapping as a signed permutation, parsed from config strings.

``("-y", "+x", "+z")`` means body x = -sensor y, body y = +sensor x, body z = +sensor z.
Only proper rotations are accepted: a mirrored mapping (determinant -1) cannot come from
mounting a rigid board, so it is a config error (usually one sign typed wrong).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

_AXES = {"x": 0, "y": 1, "z": 2}
ALLOWED_TOKENS = ("+x", "-x", "+y", "-y", "+z", "-z")


def remap_matrix(spec: Sequence[str]) -> NDArray[np.float64]:
    """3x3 matrix R with body = R @ sensor; raises ValueError naming what is wrong."""
    if isinstance(spec, str) or len(spec) != 3:
        raise ValueError(f"axis remap {spec!r} must list 3 entries, e.g. ('+x', '+y', '+z')")
    matrix = np.zeros((3, 3))
    used: list[str] = []
    for row, token in enumerate(spec):
        if token not in ALLOWED_TOKENS:
            raise ValueError(f"axis remap entry {token!r} (body axis {'xyz'[row]}) is invalid; "
                             f"allowed: {', '.join(ALLOWED_TOKENS)}")
        axis = token[1]
        if axis in used:
            raise ValueError(f"axis remap {tuple(spec)!r} uses sensor axis {axis!r} twice; "
                             "each sensor axis must appear exactly once")
        used.append(axis)
        matrix[row, _AXES[axis]] = 1.0 if token[0] == "+" else -1.0
    if np.linalg.det(matrix) < 0.0:
        raise ValueError(f"axis remap {tuple(spec)!r} is a reflection (determinant -1), not a "
                         "rotation; flip the sign of one entry")
    return matrix
