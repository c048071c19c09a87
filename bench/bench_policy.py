"""Policy node benchmark: ONNX Runtime inference latency and IMU-to-torque latency in-process.

    .venv/bin/python bench/bench_policy.py [--n 5000] [--students A.onnx B.onnx ...]

1. Inference: the packaged student (or each of --students, e.g. a single student and an ensemble
   of several, measured in one run so their ratio is meaningful) on one core (intra-op threads 1),
   p50/p99 over --n calls.
2. End to end, in-process sim loop (sim bridge -> policy -> safety): for every torque command,
   the executor time spent between the thigh IMU sample the policy used and the command
   leaving the safety node. Node clocks are sim time, so this measures compute on the path
   (wall time of the callbacks in between), not timer phase.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from exo_control.nodes.policy_node import PolicyConfig, PolicyNode
from exo_control.nodes.safety_node import SafetyNode
from exo_control.policy.default_student import DEFAULT_STUDENT
from exo_control.policy.student_runner import StudentRunner
from exo_control.runtime.inprocess import InProcessRuntime
from exo_control.safety.governor import SafetyConfig
from exo_interfaces import contract as c
from exo_sim.bridge.sim_bridge_node import SimBridgeConfig, SimBridgeNode


def inference(n: int, student: str | Path = DEFAULT_STUDENT) -> dict[str, float]:
    runner = StudentRunner(student, threads=1)
    x = np.random.default_rng(0).normal(size=(2, runner.metadata.history)).astype(np.float32)
    for _ in range(100):
        runner(x)
    times = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        runner(x)
        times.append(time.perf_counter_ns() - t0)
    t = np.asarray(times) / 1e3
    return {"p50_us": float(np.percentile(t, 50)), "p99_us": float(np.percentile(t, 99))}


def end_to_end(seconds: float) -> dict[str, float]:
    rt = InProcessRuntime("sim")
    rt.add_node(SimBridgeNode, SimBridgeConfig())
    rt.add_node(PolicyNode, PolicyConfig())
    rt.add_node(SafetyNode, SafetyConfig(enable_on_start=True))
    h = rt.handle("probe")
    imu_wall: list[int] = []
    cmd_wall: list[int] = []
    req_wall: list[int] = []
    h.create_subscription(c.IMU_LEFT_THIGH, lambda _m: imu_wall.append(time.perf_counter_ns()))
    h.create_subscription(c.TORQUE_REQUEST, lambda _m: req_wall.append(time.perf_counter_ns()))
    h.create_subscription(c.TORQUE_COMMAND, lambda _m: cmd_wall.append(time.perf_counter_ns()))
    t0 = time.perf_counter()
    rt.spin(seconds)
    wall = time.perf_counter() - t0
    rt.shutdown()
    # Compute on the path: IMU delivery -> request published (policy tick incl. inference),
    # request -> next command (safety tick).
    imu, req, cmd = (np.asarray(v) for v in (imu_wall, req_wall, cmd_wall))
    i = np.searchsorted(imu, req) - 1
    j = np.searchsorted(cmd, req)
    ok = (i >= 0) & (j < len(cmd))
    path_us = (cmd[j[ok]] - imu[i[ok]]) / 1e3
    return {"sim_s": seconds, "wall_s": wall, "real_time_factor": seconds / wall,
            "imu_to_command_p50_us": float(np.percentile(path_us, 50)),
            "imu_to_command_p99_us": float(np.percentile(path_us, 99))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--students", nargs="+", default=[str(DEFAULT_STUDENT)], help="student ONNX files to time")
    args = parser.parse_args()
    first = None
    for student in args.students:
        r = inference(args.n, student)
        first = first or r
        print(f"student inference (ONNX Runtime, 1 thread) {student}: p50 {r['p50_us']:.1f} us, p99 {r['p99_us']:.1f} us"
              f" (p50 x{r['p50_us'] / first['p50_us']:.2f} of the first)")
    e = end_to_end(args.seconds)
    print(f"in-process sim loop: {e['sim_s']:.0f} s sim in {e['wall_s']:.2f} s wall ({e['real_time_factor']:.1f}x real time); "
          f"IMU sample -> torque command compute p50 {e['imu_to_command_p50_us']:.0f} us, p99 {e['imu_to_command_p99_us']:.0f} us")


if __name__ == "__main__":
    main()
