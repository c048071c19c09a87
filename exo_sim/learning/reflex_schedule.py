"""Gain scheduling of the reflex controller over the commanded condition (speed, slope).

One reflex parameter vector tuned on level ground does not carry the person up or down a slope,
and one vector with linear slope terms tuned on several slopes at once collapsed to level-only
walking. So each node of a (speed x slope) grid gets its own vector, tuned on that condition
alone (``reflex-tune``), and the controller uses the bilinear interpolation of the nodes at the
speed and slope its observation carries, clamped at the grid's edges: the same reflex laws,
with gains that vary smoothly with the task (as Song & Geyer modulate theirs). No reference
trajectory anywhere.

An assisted schedule also carries each node's assistance profile (the stage-2 people, each
co-tuned with its own profile on its own slope), interpolated the same way: one teacher that
walks and assists across slopes, for distilling one student. Either every node has a profile
or none does.

File format (JSON), written by ``python -m exo_sim reflex-schedule``::

    {"schedule": {"speeds_mps": [1.2], "slopes_deg": [-5.0, 0.0, 5.0],
                  "nodes": [{"speed_mps": 1.2, "slope_deg": -5.0, "params": {...}, "assist"?: {...},
                             "source": {...}}, ...]}}

Every (speed, slope) pair of the grid needs exactly one node.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from exo_sim.learning import assist_profile
from exo_sim.learning.reflex import NAMES, from_dict, to_dict


class ReflexSchedule:
    """Reflex parameters per condition: ``table[v, s]`` at ``speeds_mps[v]``, ``slopes_deg[s]``;
    optionally assistance profile parameters per condition, ``profiles[v, s]``."""

    def __init__(self, speeds_mps: Sequence[float], slopes_deg: Sequence[float], table: np.ndarray,
                 sources: list[list[dict[str, Any]]] | None = None, profiles: np.ndarray | None = None) -> None:
        self.speeds_mps = np.asarray(speeds_mps, dtype=float)
        slopes = np.asarray(slopes_deg, dtype=float)
        self.table = np.asarray(table, dtype=float)
        for name, axis in (("speeds_mps", self.speeds_mps), ("slopes_deg", slopes)):
            if axis.ndim != 1 or len(axis) == 0 or not np.all(np.isfinite(axis)) or np.any(np.diff(axis) <= 0):
                raise ValueError(f"reflex schedule {name}: {axis.tolist()} must be finite, non-empty and strictly increasing")
        self.slopes_deg, self.slopes_rad = slopes, np.deg2rad(slopes)
        shape = (len(self.speeds_mps), len(slopes), len(NAMES))
        if self.table.shape != shape or not np.all(np.isfinite(self.table)):
            raise ValueError(f"reflex schedule table: shape {self.table.shape} must be (speeds, slopes, reflex "
                             f"parameters) = {shape} and finite")
        self.profiles = None if profiles is None else np.asarray(profiles, dtype=float)
        if self.profiles is not None:
            pshape = (*shape[:2], len(assist_profile.NAMES))
            if self.profiles.shape != pshape or not np.all(np.isfinite(self.profiles)):
                raise ValueError(f"reflex schedule profiles: shape {self.profiles.shape} must be (speeds, slopes, "
                                 f"profile parameters) = {pshape} and finite")
        self.sources = sources or [[{} for _ in self.slopes_rad] for _ in self.speeds_mps]

    def __call__(self, speed_mps: np.ndarray, slope_rad: np.ndarray) -> np.ndarray:
        """Parameters (N, P) at each env's commanded speed (N,) and slope (N,), rad."""
        return self._blend(self.table, speed_mps, slope_rad)

    def profile(self, speed_mps: np.ndarray, slope_rad: np.ndarray) -> np.ndarray:
        """Assistance profile parameters (N, K) at each env's condition (a schedule with profiles)."""
        if self.profiles is None:
            raise ValueError("reflex schedule: this schedule carries no assistance profiles")
        return self._blend(self.profiles, speed_mps, slope_rad)

    def reflexes_only(self) -> ReflexSchedule:
        """The same schedule without its profiles (for a caller that times the exo command itself)."""
        return ReflexSchedule(self.speeds_mps.tolist(), self.slopes_deg.tolist(), self.table, self.sources)

    def _blend(self, t: np.ndarray, speed_mps: np.ndarray, slope_rad: np.ndarray) -> np.ndarray:
        v0, v1, wv = _bracket(self.speeds_mps, np.asarray(speed_mps, dtype=float))
        s0, s1, ws = _bracket(self.slopes_rad, np.asarray(slope_rad, dtype=float))
        return (((1 - wv) * (1 - ws))[:, None] * t[v0, s0] + ((1 - wv) * ws)[:, None] * t[v0, s1]
                + (wv * (1 - ws))[:, None] * t[v1, s0] + (wv * ws)[:, None] * t[v1, s1])

    @classmethod
    def from_nodes(cls, nodes: list[dict[str, Any]]) -> ReflexSchedule:
        """From ``{"speed_mps", "slope_deg", "params", "assist"?, "source"?}`` entries covering a full grid."""
        speeds = sorted({float(n["speed_mps"]) for n in nodes})
        slopes = sorted({float(n["slope_deg"]) for n in nodes})
        cells: dict[tuple[float, float], dict[str, Any]] = {}
        for n in nodes:
            key = (float(n["speed_mps"]), float(n["slope_deg"]))
            if key in cells:
                raise ValueError(f"reflex schedule: two nodes at speed {key[0]} m/s, slope {key[1]} deg")
            cells[key] = n
        missing = [f"({v} m/s, {g} deg)" for v in speeds for g in slopes if (v, g) not in cells]
        if missing:
            raise ValueError(f"reflex schedule: the grid {speeds} m/s x {slopes} deg has no node at {', '.join(missing)}")
        table = np.stack([np.stack([from_dict(cells[(v, g)]["params"]) for g in slopes]) for v in speeds])
        sources = [[cells[(v, g)].get("source", {}) for g in slopes] for v in speeds]
        bare = [f"({v} m/s, {g} deg)" for v in speeds for g in slopes if "assist" not in cells[(v, g)]]
        if 0 < len(bare) < len(cells):
            raise ValueError(f"reflex schedule: every node needs an assistance profile or none does; none at {', '.join(bare)}")
        profiles = None if bare else np.stack([np.stack([assist_profile.from_dict(cells[(v, g)]["assist"]) for g in slopes])
                                               for v in speeds])
        return cls(speeds, slopes, table, sources, profiles)

    @classmethod
    def from_file(cls, path: str | Path) -> ReflexSchedule:
        data = json.loads(Path(path).read_text())
        if "schedule" not in data:
            raise ValueError(f"{path}: not a reflex schedule (no 'schedule' entry)")
        return cls.from_nodes(data["schedule"]["nodes"])

    def to_json(self) -> dict[str, Any]:
        nodes = [{"speed_mps": float(v), "slope_deg": float(np.rad2deg(g)), "params": to_dict(self.table[i, j]),
                  **({} if self.profiles is None else {"assist": assist_profile.to_dict(self.profiles[i, j])}),
                  "source": self.sources[i][j]}
                 for i, v in enumerate(self.speeds_mps) for j, g in enumerate(self.slopes_rad)]
        return {"schedule": {"speeds_mps": self.speeds_mps.tolist(),
                             "slopes_deg": [round(float(g), 9) for g in np.rad2deg(self.slopes_rad)], "nodes": nodes}}


def reflex_theta(data: dict[str, Any], source: str = "reflex file") -> np.ndarray | ReflexSchedule:
    """The reflex parameters of a reflex file's content (``reflex-tune``'s best.json or a
    ``reflex-schedule`` file): a schedule, or one validated parameter vector."""
    if "schedule" in data:
        return ReflexSchedule.from_nodes(data["schedule"]["nodes"])
    if "params" in data:
        return from_dict(data["params"])
    raise ValueError(f"{source}: neither reflex parameters ('params') nor a reflex schedule ('schedule')")


def single_profile(data: dict[str, Any], theta: np.ndarray | ReflexSchedule, exo_mode: str, source: str) -> np.ndarray | None:
    """The one assistance profile of a reflex file's content (None without one), checked: a file
    assists through one 'assist' entry or through its schedule's nodes, not both, and only in an
    env whose exo assists (``exo_mode``)."""
    profile = assist_profile.from_dict(data["assist"]) if "assist" in data else None
    scheduled = isinstance(theta, ReflexSchedule) and theta.profiles is not None
    if profile is not None and scheduled:
        raise ValueError(f"{source}: a schedule with profiles per node and one more 'assist' profile")
    if (profile is not None or scheduled) and exo_mode != "assist":
        raise ValueError(f"{source} has an assistance profile, but env.exo_mode {exo_mode!r}")
    return profile


_SNAP = 1e-6  # interpolation weights closer than this to a node snap to it


def _bracket(axis: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Lower and upper node indices and the weight of the upper one, clamped at the ends."""
    if len(axis) == 1:
        zero = np.zeros(len(x), dtype=int)
        return zero, zero, np.zeros(len(x))
    x = np.clip(x, axis[0], axis[-1])
    hi = np.clip(np.searchsorted(axis, x, side="right"), 1, len(axis) - 1)
    lo = hi - 1
    w = (x - axis[lo]) / (axis[hi] - axis[lo])
    # The observation carries the slope in float32: a condition on a node gets exactly that node's
    # gains, not a 1e-8 share of its neighbour's (which a chaotic gait can still amplify).
    return lo, hi, np.where(w < _SNAP, 0.0, np.where(w > 1.0 - _SNAP, 1.0, w))


def node_from_tuning(path: str | Path, speed_mps: float, slope_deg: float) -> dict[str, Any]:
    """A schedule node from a reflex-tune ``best.json`` (or a committed copy), with its assistance
    profile if it has one, and its provenance."""
    best = json.loads(Path(path).read_text())
    if "schedule" in best:
        raise ValueError(f"{path} is itself a schedule, not one parameter vector")
    source = {"file": str(path), **{k: best[k] for k in ("generation", "cost", "aids", "config", "commit") if k in best}}
    assist = {"assist": assist_profile.to_dict(assist_profile.from_dict(best["assist"]))} if "assist" in best else {}
    return {"speed_mps": float(speed_mps), "slope_deg": float(slope_deg), "params": best["params"], **assist, "source": source}
