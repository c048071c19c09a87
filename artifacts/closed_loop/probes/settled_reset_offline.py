"""Would a clock that is right from the first period let the student follow the start (stop 45)?
The forward-clock teacher with its estimator's reset values replaced by the running means it holds
after 10 s of walking at SPEED (start_phase_error.py's settled clock; the forward-only limit kept),
and its student acting off the nodes as in offline_windows.py; r by time since the start, falls.
The student was distilled from the teacher as committed, and the person was tuned with the
committed reset values: a probe only, patching the module constant as phase_reset_jumps.py does.
Usage: python artifacts/closed_loop/probes/settled_reset_offline.py TEACHER STUDENT SPEED"""

from __future__ import annotations

import sys

import offline_windows  # this folder's probes
from start_phase_error import ENVS, settled_state

import exo_sim.env.thigh_phase as thigh_phase
from exo_sim.learning.distill import DistillConfig, Distiller
from exo_sim.learning.teacher_export import TeacherRunner


def main(teacher: str, student: str, speed: float) -> None:
    walking = settled_state(Distiller.from_runner(TeacherRunner(teacher), DistillConfig(num_envs=ENVS, seed=0)), speed)
    committed = thigh_phase._AT_RESET
    print(f"reset values after 10 s at {speed:g} m/s: {tuple(round(v, 4) for v in walking)} (committed {committed})")
    thigh_phase._AT_RESET = walking
    try:
        offline_windows.main(teacher, student, [speed])
    finally:
        thigh_phase._AT_RESET = committed


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
