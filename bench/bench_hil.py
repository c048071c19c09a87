"""Hardware-in-the-loop benchmark: fault table and IMU-sample-to-CAN-frame latency.

    .venv/bin/python bench/bench_hil.py [--seconds 3]

Runs the hardware launch's real nodes (IMU driver on register emulators, motor driver on a
python-can virtual bus with the AK emulator, policy on ONNX Runtime, safety) on the in-process
wall clock at 200 Hz. Latency: for each torque frame on the bus, the age of the newest thigh IMU
sample that reached the policy before the request the frame carries (chain: IMU read -> policy
tick -> safety tick -> motor driver tick -> frame). The CAN round trip is bench/bench_can.py.
"""

from __future__ import annotations

import argparse
import bisect
import sys
import tempfile
import threading
import time
from pathlib import Path

import can
import numpy as np

from exo_control.emulators.hil import FAULTS, HilStack
from exo_interfaces import contract as c

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "test"))
from nodes_for_tests import export_offset_student  # noqa: E402


def latency(student: Path, seconds: float) -> dict[str, float]:
    with HilStack(student, channel="bench_latency") as stack:
        imu_t: list[float] = []
        req_t: list[float] = []
        cmd_t: list[float] = []
        h = stack.handle
        h.create_subscription(c.IMU_LEFT_THIGH, lambda _m: imu_t.append(time.monotonic()))
        h.create_subscription(c.TORQUE_REQUEST, lambda _m: req_t.append(time.monotonic()))
        h.create_subscription(c.TORQUE_COMMAND, lambda _m: cmd_t.append(time.monotonic()))
        frames: list[float] = []
        listener = can.Bus(interface="virtual", channel="bench_latency")
        stop = threading.Event()

        def listen() -> None:
            while not stop.is_set():
                msg = listener.recv(0.05)
                if msg is not None and msg.arbitration_id in (1, 2) and len(msg.data) == 8 and msg.data[:7] != b"\xff" * 7:
                    frames.append(time.monotonic())

        thread = threading.Thread(target=listen, daemon=True)
        thread.start()
        stack.run(seconds)
        stop.set()
        thread.join()
        listener.shutdown()
    ages = []
    for f in frames[len(frames) // 4:]:  # skip the soft start
        ci = bisect.bisect_right(cmd_t, f) - 1
        ri = bisect.bisect_right(req_t, cmd_t[ci]) - 1 if ci >= 0 else -1
        ii = bisect.bisect_right(imu_t, req_t[ri]) - 1 if ri >= 0 else -1
        if ii >= 0:
            ages.append((f - imu_t[ii]) * 1e3)
    a = np.asarray(ages)
    return {"frames": len(a), "p50_ms": float(np.percentile(a, 50)), "p99_ms": float(np.percentile(a, 99)),
            "max_ms": float(a.max())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        student = export_offset_student(Path(tmp) / "student.onnx", rate_hz=200.0)
        lat = latency(student, args.seconds)
        print(f"IMU sample -> torque frame on the bus (200 Hz loops, {lat['frames']} frames): "
              f"p50 {lat['p50_ms']:.2f} ms, p99 {lat['p99_ms']:.2f} ms, max {lat['max_ms']:.2f} ms")
        print()
        print("| fault | reaction (latched) | detect (ms) | to zero (ms) | after latch (ms) | bound (ms) |")
        print("|---|---|---|---|---|---|")
        for i, (name, action) in enumerate(FAULTS.items()):
            with HilStack(student, channel=f"bench_fault{i}") as stack:
                r = stack.inject(name, action)
            print(f"| {r.fault} | {r.reaction} | {r.detect_ms:.1f} | {r.to_zero_ms:.1f} | {r.after_detect_ms:.1f} | {r.bound_ms:.0f} |")


if __name__ == "__main__":
    main()
