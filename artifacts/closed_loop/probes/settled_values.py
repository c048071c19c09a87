"""The thigh clock's running means after 10 s of walking (start_phase_error.py's settled clock),
per commanded speed, as rows for ``env.thigh_phase_start`` (stop 45): speed m/s, thigh angle centre
rad, angle scale rad, integral scale rad s; each the mean over 4 envs and both legs.
Usage: python artifacts/closed_loop/probes/settled_values.py TEACHER SPEED [SPEED...]"""

from __future__ import annotations

import sys

from start_phase_error import ENVS, settled_state  # this folder's probes

from exo_sim.learning.distill import DistillConfig, Distiller
from exo_sim.learning.teacher_export import TeacherRunner

if __name__ == "__main__":
    d = Distiller.from_runner(TeacherRunner(sys.argv[1]), DistillConfig(num_envs=ENVS, seed=0))
    for speed in (float(a) for a in sys.argv[2:]):
        print(f"- [{speed:g}, " + ", ".join(f"{v:.4f}" for v in settled_state(d, speed)) + "]")
