"""Shared by the stop-44 jump probes: the teacher torque's jumps, a change of more than JUMP_NM in
one 6.25 ms period within an episode, which its Gaussian pulses never make (their steepest slope is
about 0.5 Nm per period) unless the thigh phase the profile is timed by jumps.
Run as a script (stop 45), the start-seed count for a teacher as it is:
Usage: python artifacts/closed_loop/probes/torque_jumps.py TEACHER SPEED [SPEED...]"""

from __future__ import annotations

import sys

import numpy as np

from exo_sim.learning.distill import DistillConfig, Distiller
from exo_sim.learning.teacher_export import TeacherRunner

JUMP_NM = 2.0
START_ENVS, START_STEPS, START_SEEDS, WALK_FROM_S = 4, 1280, (10_000, 10_004), 4.0


def teacher_torque_steps(data: dict[str, np.ndarray], envs: int) -> tuple[np.ndarray, np.ndarray]:
    """(steps - 1, envs): the largest change of either hip's teacher torque from the period before
    (Nm; 0 across a reset), and each later sample's time since its episode started (s)."""
    steps = len(data["age_s"]) // envs
    torque, age = data["teacher_nm"].reshape(steps, envs, 2), data["age_s"].reshape(steps, envs)
    step = np.where(age[1:] > age[:-1], np.abs(np.diff(torque, axis=0)).max(axis=2), 0.0)
    return step, age[1:]


def start_jumps(teacher: str, speed_mps: float) -> str:
    """The teacher alone, level, START_ENVS envs x START_STEPS periods from each start seed: its
    jumps in the first WALK_FROM_S and after, and the falls, one clause per seed."""
    d = Distiller.from_runner(TeacherRunner(teacher), DistillConfig(num_envs=START_ENVS, seed=0))
    rows = []
    for seed in START_SEEDS:
        data = d.rollout(1.0, START_STEPS, seed=seed, options={"speed_mps": speed_mps, "slope_deg": 0.0})
        step, age = teacher_torque_steps(data, START_ENVS)
        jump = step > JUMP_NM
        rows.append(f"seed {seed}: {jump[age < WALK_FROM_S].sum()} / {jump[age >= WALK_FROM_S].sum()} jumps, "
                    f"{int(data['falls'])} falls")
    return "; ".join(rows)


if __name__ == "__main__":
    for speed in (float(a) for a in sys.argv[2:]):
        print(f"{speed:g} m/s: {start_jumps(sys.argv[1], speed)}")
