"""A candidate teacher fix for the start jumps, tried on the tuned person as it is (stop 44): the
thigh phase may only advance, by at most MAX_STRIDES_PER_S strides per second (the committed
estimator's steady walking is 0.9-1.1 strides/s and never runs backwards there). The teacher alone
at each SPEED (m/s), level, 4 envs x 8 s from start seeds 10000 and 10004, committed estimator against the
limited one; per start seed, the teacher torque's jumps (> 2 Nm in one 6.25 ms period) in the first
4 s and after, and the falls. A probe only: it patches ThighPhase.update, which no committed
teacher does.
Usage: python artifacts/closed_loop/probes/phase_rate_limit.py TEACHER SPEED [SPEED...]"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np
from torque_jumps import start_jumps  # this folder's shared jump count

from exo_sim.env.thigh_phase import ThighPhase

MAX_STRIDES_PER_S = 2.5


def rate_limited(update: Callable[..., np.ndarray]) -> Callable[..., np.ndarray]:
    def limited(self: ThighPhase, angle_rad: np.ndarray, dt_s: float) -> np.ndarray:
        before = self.phase.copy()
        raw = update(self, angle_rad, dt_s)
        ahead = (raw - before) % 1.0  # more than half a stride ahead is read as behind: hold
        step = np.where(ahead > 0.5, 0.0, np.minimum(ahead, MAX_STRIDES_PER_S * dt_s))
        self.phase = (before + step) % 1.0
        return self.phase
    return limited


def main(teacher: str, speeds_mps: list[float]) -> None:
    committed = ThighPhase.update
    for speed in speeds_mps:
        print(f"{speed:g} m/s, committed estimator: {start_jumps(teacher, speed)}")
        ThighPhase.update = rate_limited(committed)  # type: ignore[method-assign]
        try:
            print(f"{speed:g} m/s, forward only, at most {MAX_STRIDES_PER_S:g} strides/s: {start_jumps(teacher, speed)}")
        finally:
            ThighPhase.update = committed  # type: ignore[method-assign]


if __name__ == "__main__":
    main(sys.argv[1], [float(a) for a in sys.argv[2:]])
