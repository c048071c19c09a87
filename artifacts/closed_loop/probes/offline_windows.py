"""A committed student's agreement with its teacher by time since the episode started, off the
deployed nodes (stop 44): the ONNX student (ONNX Runtime) acts in the distiller's env, as in its
held-out evaluation, for 20 s x 4 envs at SPEED m/s, level, from held-out start seeds 10000 and
10001. Tells a loop-only effect from the student's own, and the start from the walk.
Usage: python artifacts/closed_loop/probes/offline_windows.py TEACHER STUDENT SPEED [SPEED...]"""

from __future__ import annotations

import sys

import numpy as np
import onnxruntime as ort

from exo_sim.learning.distill import DistillConfig, Distiller
from exo_sim.learning.student import StudentConfig
from exo_sim.learning.teacher_export import TeacherRunner
from exo_sim.metrics import torque_agreement

ENVS, DURATION_S, RATE_HZ, SEEDS = 4, 20.0, 160.0, (10_000, 10_001)
WINDOWS_S = ((0.0, 2.0), (2.0, 4.0), (4.0, 8.0), (8.0, 12.0), (12.0, 20.0))


def main(teacher: str, student: str, speeds_mps: list[float]) -> None:
    session = ort.InferenceSession(student, providers=["CPUExecutionProvider"])
    (inp,) = session.get_inputs()
    cfg = DistillConfig(student=StudentConfig(rate_hz=RATE_HZ, history=int(inp.shape[-1])), num_envs=ENVS, seed=0)
    d = Distiller.from_runner(TeacherRunner(teacher), cfg)
    d._student_torque = lambda window: session.run(None, {inp.name: window.astype(np.float32)})[0].astype(np.float64)  # type: ignore[method-assign]
    print(f"{teacher} / {student}: student acting, level, {ENVS} envs x {DURATION_S:g} s")
    print("speed (m/s) | start seed | falls | r " + " | r ".join(f"{a:g}-{b:g} s" for a, b in WINDOWS_S))
    for speed in speeds_mps:
        for seed in SEEDS:
            data = d.rollout(0.0, round(DURATION_S * RATE_HZ), seed=seed, options={"speed_mps": speed, "slope_deg": 0.0})
            age = data["age_s"]
            r = [torque_agreement(data["student_nm"][(age >= a) & (age < b)], data["teacher_nm"][(age >= a) & (age < b)],
                                  d.mass_kg)["pearson_r"] for a, b in WINDOWS_S]
            print(f"{speed:g} | {seed} | {int(data['falls'])} | " + " | ".join(f"{x:.3f}" for x in r))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], [float(a) for a in sys.argv[3:]])
