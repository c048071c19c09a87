"""Recorder throughput and the latency recording adds to the control loop.

    .venv/bin/python bench/bench_recorder.py [--seconds 10] [--wall-seconds 10]

1. Writer throughput: BagWriter fed pre-serialised messages as fast as possible (messages/s
   until the bag is closed, i.e. on disk).
2. Executor cost: the same in-process graph (synthetic walker + safety, 200 Hz, 6 topics) on
   the sim clock, with and without the recorder, in this one run: wall time per control period
   and the recorder's end-to-end throughput.
3. Control-loop timing on the wall clock (steady 200 Hz), with and without the recorder:
   lateness and callback duration of the safety node's control step, overruns, drops.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from exo_control.recording import BagWriter, RecorderConfig
from exo_control.recording.synthetic_trial import build_synthetic_trial
from exo_control.runtime.inprocess import InProcessRuntime
from exo_interfaces import contract as c
from exo_interfaces import messages as m


def writer_throughput(folder: Path, n: int = 200_000) -> dict[str, float]:
    imu = m.serialize(m.imu_msg(0, "x", np.zeros(3), np.array([0, 0, 9.81])))
    writer = BagWriter(folder / "raw", c.ALL_TOPICS, m.TYPESTORE, fsync=True, queue_size=n + 1)
    writer.open()
    t0 = time.perf_counter()
    for i in range(n):
        writer.put(c.IMU_LEFT_THIGH.name, i * 1000, imu)
    t_put = time.perf_counter() - t0
    stats = writer.close()
    t_all = time.perf_counter() - t0
    return {"messages": stats.written, "put_us_per_msg": 1e6 * t_put / n, "msgs_per_s_to_disk": stats.written / t_all,
            "MB_per_s": stats.bytes_written / t_all / 1e6, "dropped": stats.dropped}


def sim_run(folder: Path, seconds: float, record: bool) -> dict[str, float]:
    cfg = RecorderConfig(bag=str(folder / f"sim_{record}"), min_free_mb=0.0) if record else None
    rt = InProcessRuntime("sim")
    nodes = build_synthetic_trial(rt, cfg)
    t0 = time.perf_counter()
    rt.spin(seconds)
    t_spin = time.perf_counter() - t0
    rt.shutdown()
    t_all = time.perf_counter() - t0
    periods = seconds * 200
    out = {"wall_s": t_spin, "us_per_control_period": 1e6 * t_spin / periods, "delivered": rt.messages_delivered}
    if record:
        st = nodes["recorder"].writer.stats  # type: ignore[attr-defined]
        out |= {"written": st.written, "dropped": st.dropped, "recorder_msgs_per_s_incl_close": st.written / t_all,
                "queue_high_water": st.queue_high_water}
    return out


def wall_run(folder: Path, seconds: float, record: bool) -> dict[str, float]:
    cfg = RecorderConfig(bag=str(folder / f"wall_{record}"), min_free_mb=0.0) if record else None
    rt = InProcessRuntime("wall")
    nodes = build_synthetic_trial(rt, cfg)
    rt.spin(seconds)
    rt.shutdown()
    step = rt.timer_stats()["safety/_control_step"]
    out = {k: step[k] for k in ("fires", "overruns", "lateness_p50_ms", "lateness_p99_ms", "callback_p50_ms",
                                "callback_p99_ms")}
    if record:
        st = nodes["recorder"].writer.stats  # type: ignore[attr-defined]
        out |= {"written": st.written, "dropped": st.dropped}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=20.0, help="sim-clock trial length")
    ap.add_argument("--wall-seconds", type=float, default=10.0, help="wall-clock trial length (each of two runs)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d)
        result = {"writer": writer_throughput(folder)}
        base, rec = sim_run(folder, args.seconds, False), sim_run(folder, args.seconds, True)
        result["sim_clock"] = {"without_recorder": base, "with_recorder": rec,
                               "extra_us_per_control_period": rec["us_per_control_period"] - base["us_per_control_period"]}
        wb, wr = wall_run(folder, args.wall_seconds, False), wall_run(folder, args.wall_seconds, True)
        result["wall_clock_200Hz"] = {"without_recorder": wb, "with_recorder": wr,
                                      "extra_lateness_p99_ms": wr["lateness_p99_ms"] - wb["lateness_p99_ms"]}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
