"""Does the teacher's own exo torque jump at the start of a walk (stop 44)? Rolls out the teacher
alone (its torque applied) in the distiller's env at each SPEED, level, 4 envs x DURATION s from the
held-out evaluation's start seeds, and counts the jumps of its torque: a change of more than
JUMP_NM in one 6.25 ms period, which its Gaussian pulses never make (their steepest slope is
about 0.5 Nm per period) unless the thigh phase the profile is timed by jumps. Per window of time
since the episode started: jumps per env and second.
Usage: python artifacts/closed_loop/probes/teacher_torque_jumps.py TEACHER SPEED [SPEED...]"""

from __future__ import annotations

import sys

from torque_jumps import JUMP_NM, teacher_torque_steps  # this folder's shared jump count

from exo_sim.learning.distill import DistillConfig, Distiller
from exo_sim.learning.teacher_export import TeacherRunner

ENVS, DURATION_S, RATE_HZ = 4, 8.0, 160.0
WINDOWS_S = ((0.0, 2.0), (2.0, 4.0), (4.0, 8.0))


def main(teacher: str, speeds_mps: list[float]) -> None:
    d = Distiller.from_runner(TeacherRunner(teacher), DistillConfig(num_envs=ENVS, seed=0))
    steps = round(DURATION_S * RATE_HZ)
    print(f"{teacher}: teacher alone, level, {ENVS} envs x {DURATION_S:g} s; jumps > {JUMP_NM:g} Nm per period, per env and s")
    print("speed (m/s) | falls | " + " | ".join(f"{a:g}-{b:g} s" for a, b in WINDOWS_S) + " | largest jump (Nm)")
    for speed in speeds_mps:
        data = d.rollout(1.0, steps, seed=10_000, options={"speed_mps": speed, "slope_deg": 0.0})
        step, age = teacher_torque_steps(data, ENVS)
        rates = []
        for a, b in WINDOWS_S:
            inside = (age >= a) & (age < b)
            rates.append(f"{(step[inside] > JUMP_NM).sum() / (inside.sum() / RATE_HZ):.2f}")
        print(f"{speed:g} | {int(data['falls'])} | " + " | ".join(rates) + f" | {step.max():.1f}")


if __name__ == "__main__":
    main(sys.argv[1], [float(a) for a in sys.argv[2:]])
