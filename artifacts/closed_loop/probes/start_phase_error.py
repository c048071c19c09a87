"""Where is the teacher's thigh phase in a walk's first seconds (stop 45)? With the forward-only,
rate-limited clock the teacher's torque no longer jumps, yet the student still misses it in the first
4 s at 1.2 m/s. The teacher alone at SPEED m/s, level, 4 envs x 8 s from start seeds 10000 and
10004; beside its clock, fed the same thigh angles, run two unlimited estimators: one from the
committed reset values (the raw estimate) and one from the running means it holds after 10 s of
walking at SPEED (start seed 20000: a settled clock, the phase a walking leg has). Prints, per
window of time since the start, the mean |phase - settled phase| (strides) of the teacher's clock
and of the raw estimate, and the share of periods where the limit keeps the clock off the raw
estimate (held back, or catching up at the limit).
A probe only: it wraps ThighPhase.update, which no committed teacher does. It is for a teacher whose
clock starts from the fixed reset values (no env.thigh_phase_start); for one that starts elsewhere the
share counts the start values' difference too, and is no measure of the limit.
Usage: python artifacts/closed_loop/probes/start_phase_error.py TEACHER SPEED [SPEED...]"""

from __future__ import annotations

import sys

import numpy as np

from exo_sim.env.thigh_phase import ThighPhase
from exo_sim.learning.distill import DistillConfig, Distiller
from exo_sim.learning.teacher_export import TeacherRunner

ENVS, RATE_HZ, SEEDS = 4, 160.0, (10_000, 10_004)
WINDOWS_S = ((0.0, 1.0), (1.0, 2.0), (2.0, 4.0), (4.0, 8.0))


def settled_state(d: Distiller, speed: float) -> tuple[float, float, float]:
    d.rollout(1.0, round(10.0 * RATE_HZ), seed=20_000, options={"speed_mps": speed, "slope_deg": 0.0})
    th = d.env.thigh
    return float(th.angle_mean.mean()), float(th.angle_scale.mean()), float(th.integral_scale.mean())


def logged_walk(d: Distiller, speed: float, seed: int, walking: tuple[float, float, float]
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """The teacher alone from start seed ``seed``: per thigh-phase update, its clock, the raw
    estimate, the settled one (each (updates, envs, 2)) and each env's time since its start; falls."""
    env, committed, reset = d.env, ThighPhase.update, ThighPhase.reset
    raw, settled = ThighPhase(ENVS), ThighPhase(ENVS)
    fresh = np.zeros(ENVS, dtype=bool)
    log: list[tuple[np.ndarray, ...]] = []

    def mark(self: ThighPhase, i: int, start: tuple[float, float, float] | None = None) -> None:
        reset(self, i, start)
        if self is env.thigh:
            fresh[i] = True

    def update(self: ThighPhase, angle_rad: np.ndarray, dt_s: float) -> np.ndarray:
        out = committed(self, angle_rad, dt_s)
        if self is not env.thigh:
            return out
        for i in np.flatnonzero(fresh):  # the env's per-env resets, mirrored
            reset(raw, int(i))
            reset(settled, int(i))
            settled.angle_mean[i], settled.angle_scale[i], settled.integral_scale[i] = walking
        fresh[:] = False
        log.append((out.copy(), committed(raw, angle_rad, dt_s).copy(), committed(settled, angle_rad, dt_s).copy(),
                    env.time_s.copy()))
        return out

    ThighPhase.update, ThighPhase.reset = update, mark  # type: ignore[method-assign]
    try:
        data = d.rollout(1.0, round(8.0 * RATE_HZ), seed=seed, options={"speed_mps": speed, "slope_deg": 0.0})
    finally:
        ThighPhase.update, ThighPhase.reset = committed, reset  # type: ignore[method-assign]
    clock, est, ref, age = (np.asarray(a) for a in zip(*log))
    return clock, est, ref, age, int(data["falls"])


def gap(a: np.ndarray, ref: np.ndarray) -> np.ndarray:
    """Mean over both legs of the circular distance |a - ref| (strides)."""
    return np.abs((a - ref + 0.5) % 1.0 - 0.5).mean(axis=2)


def main(teacher: str, speeds_mps: list[float]) -> None:
    d = Distiller.from_runner(TeacherRunner(teacher), DistillConfig(num_envs=ENVS, seed=0))
    print(f"{teacher}: teacher alone, level, {ENVS} envs x 8 s; mean |phase - settled phase| (strides): teacher's "
          "clock / raw estimate; share of periods the limit keeps the clock off the raw estimate")
    print("speed (m/s) | start seed | falls | " + " | ".join(f"{a:g}-{b:g} s" for a, b in WINDOWS_S))
    for speed in speeds_mps:
        walking = settled_state(d, speed)
        for seed in SEEDS:
            clock, est, ref, age, falls = logged_walk(d, speed, seed, walking)
            held = np.abs((est - clock + 0.5) % 1.0 - 0.5).max(axis=2) > 1e-6
            cells = []
            for a, b in WINDOWS_S:
                m = (age >= a) & (age < b)
                cells.append(f"{gap(clock, ref)[m].mean():.3f} / {gap(est, ref)[m].mean():.3f}; {held[m].mean():.0%}")
            print(f"{speed:g} | {seed} | {falls} | " + " | ".join(cells))


if __name__ == "__main__":
    main(sys.argv[1], [float(a) for a in sys.argv[2:]])
