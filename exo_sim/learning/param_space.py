"""Named, bounded parameter vectors searched by CMA-ES in units of a per-parameter scale."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np


class ParamSpace:
    """``spec``: name -> (initial value, CMA scale, lower bound, upper bound); ``what`` names them in errors."""

    def __init__(self, spec: Mapping[str, tuple[float, float, float, float]], what: str) -> None:
        self.names = tuple(spec)
        self.what = what
        self.initial, self.scale, self.lower, self.upper = (np.array(col, dtype=float) for col in zip(*spec.values()))

    def from_unit(self, x: np.ndarray) -> np.ndarray:
        """CMA search space (0 = initial guess, 1 = one scale step) -> parameters, clipped to bounds."""
        return np.clip(self.initial + self.scale * np.asarray(x), self.lower, self.upper)

    def to_dict(self, theta: np.ndarray) -> dict[str, float]:
        """Named parameters of one vector."""
        return {n: float(v) for n, v in zip(self.names, theta)}

    def from_dict(self, values: Mapping[str, float]) -> np.ndarray:
        """Parameter vector from names (missing names keep the initial guess); values outside the
        bounds the search keeps to, or NaN, are refused by name."""
        unknown = sorted(set(values) - set(self.names))
        if unknown:
            raise ValueError(f"unknown {self.what}(s) {unknown}; known: {list(self.names)}")
        theta = np.array([values.get(n, v) for n, v in zip(self.names, self.initial)], dtype=float)
        bad = [f"{n}={v:g} (bounds [{lo:g}, {hi:g}])" for n, v, lo, hi in zip(self.names, theta, self.lower, self.upper)
               if not lo <= v <= hi]  # NaN fails too
        if bad:
            raise ValueError(f"{self.what}(s) out of bounds: {', '.join(bad)}")
        return theta
