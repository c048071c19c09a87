"""Are the teacher's start jumps its thigh-phase estimator's reset values (stop 44)? The teacher
alone at 1.2 m/s, level, 4 envs x 8 s from start seeds 10000 and 10004, with the estimator's reset
values (angle centre rad, angle scale rad, integral scale rad s) as committed and as measured after
10 s of walking at 1.2 m/s (start seed 20000); prints, per start seed, the teacher torque's jumps
(> 2 Nm in one 6.25 ms period) in the first 4 s and after, and the falls. A probe only: it patches
the module constant, which no committed teacher does.
Usage: python artifacts/closed_loop/probes/phase_reset_jumps.py TEACHER"""

from __future__ import annotations

import sys

from torque_jumps import START_ENVS, start_jumps  # this folder's shared jump count

import exo_sim.env.thigh_phase as thigh_phase
from exo_sim.learning.distill import DistillConfig, Distiller
from exo_sim.learning.teacher_export import TeacherRunner

RATE_HZ = 160.0


def main(teacher: str) -> None:
    committed = thigh_phase._AT_RESET
    d = Distiller.from_runner(TeacherRunner(teacher), DistillConfig(num_envs=START_ENVS, seed=0))
    d.rollout(1.0, round(10.0 * RATE_HZ), seed=20_000, options={"speed_mps": 1.2, "slope_deg": 0.0})
    th = d.env.thigh
    walking = (float(th.angle_mean.mean()), float(th.angle_scale.mean()), float(th.integral_scale.mean()))
    for name, reset in (("committed", committed), ("walking at 1.2 m/s", walking)):
        thigh_phase._AT_RESET = reset
        print(f"reset values {name} {tuple(round(v, 4) for v in reset)}: {start_jumps(teacher, 1.2)}")
    thigh_phase._AT_RESET = committed


if __name__ == "__main__":
    main(sys.argv[1])
