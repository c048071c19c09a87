"""In-process runtime benchmark: wall-clock period jitter and executor overhead per message.

    .venv/bin/python bench/bench_runtime.py [--rate 200] [--seconds 5]

Jitter: a timer at --rate Hz on the wall clock; lateness of each firing vs its due time and the
interval between firings minus the nominal period (p50/p99). Overhead: sim-clock run of a
talker -> relay -> listener chain; time per delivered message with and without the executor
(direct calls of the same callbacks), measured in the same run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "test"))

from nodes_for_tests import Relay, RelayConfig, Talker, TalkerConfig  # noqa: E402

from exo_control.runtime.inprocess import InProcessRuntime  # noqa: E402


def jitter(rate_hz: float, seconds: float) -> dict[str, float]:
    rt = InProcessRuntime("wall")
    fire_ns: list[int] = []
    handle = rt.handle("bench")
    handle.create_timer(1.0 / rate_hz, lambda: fire_ns.append(time.monotonic_ns()))
    rt.spin(seconds)
    stats = rt.timer_stats()["bench/<lambda>"]
    period_ns = 1e9 / rate_hz
    dev = (np.diff(fire_ns) - period_ns) / 1e3
    return {
        "fires": stats["fires"],
        "expected": int(seconds * rate_hz),
        "overruns": stats["overruns"],
        "lateness_p50_us": stats["lateness_p50_ms"] * 1e3,
        "lateness_p99_us": stats["lateness_p99_ms"] * 1e3,
        "period_dev_p50_us": float(np.percentile(np.abs(dev), 50)),
        "period_dev_p99_us": float(np.percentile(np.abs(dev), 99)),
    }


def overhead(messages: int) -> dict[str, float]:
    rt = InProcessRuntime("sim")
    talker = rt.add_node(Talker, TalkerConfig(rate_hz=1000.0), "talker")
    relay = rt.add_node(Relay, RelayConfig(), "relay")
    received = []
    rt.handle("sink").create_subscription(relay.pub.topic, received.append)
    t0 = time.perf_counter()
    rt.spin(messages / 1000.0)
    through_executor = time.perf_counter() - t0
    delivered = rt.messages_delivered
    # The same work without the executor: call the talker tick and relay callback directly.
    direct_relay = Relay(rt.handle("direct"), RelayConfig(sink="/direct"))
    msgs: list[object] = []
    talker.pub.publish = msgs.append  # type: ignore[method-assign]
    t0 = time.perf_counter()
    for _ in range(messages):
        talker.tick()
        direct_relay.on_msg(msgs.pop())
    direct = time.perf_counter() - t0
    return {
        "messages_delivered": delivered,
        "per_message_us_executor": through_executor / delivered * 1e6,
        "per_message_us_direct_calls": direct / (2 * messages) * 1e6,
        "executor_overhead_us_per_message": (through_executor - direct) / delivered * 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--messages", type=int, default=20000)
    args = parser.parse_args()
    print(f"wall-clock timer at {args.rate:g} Hz for {args.seconds:g} s")
    for k, v in jitter(args.rate, args.seconds).items():
        print(f"  {k:34s} {v:10.1f}")
    print(f"sim-clock talker -> relay -> sink, {args.messages} ticks")
    for k, v in overhead(args.messages).items():
        print(f"  {k:34s} {v:10.2f}")


if __name__ == "__main__":
    main()
