"""CAN round-trip latency: AKMotor driver -> AK emulator thread -> reply, over python-can's
in-process virtual bus.

    .venv/bin/python bench/bench_can.py [--n 2000] [--firmware legacy v3]

Measures what the control loop pays per tick for "send torque, wait for the reply": the
driver's encode + send, the emulator thread's wake-up + decode + physics + reply, and the
driver's receive + decode + state update. It does not model the 1 Mbit/s wire (an 8-byte
frame is ~0.13 ms there) or SocketCAN; it is a regression number for the Python paths.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import uuid
from typing import cast

import can
import numpy as np

from exo_control.drivers.ak_bus import AKMotorBus
from exo_control.drivers.ak_models import Firmware
from exo_control.drivers.ak_motor import AKMotor, AKMotorConfig
from exo_control.emulators.ak_emulator import AKEmulator


def _bus(channel: str) -> can.BusABC:
    return can.Bus(interface="virtual", channel=channel)


def bench(firmware: Firmware, n: int, n_motors: int) -> list[float]:
    """Round-trip times (s) of ``n`` ticks commanding ``n_motors`` motors."""
    channel = f"bench-{uuid.uuid4().hex}"
    emu_bus, drv_bus = _bus(channel), _bus(channel)
    ids = tuple(range(1, n_motors + 1))
    emu = AKEmulator(emu_bus, ids=ids, firmware=firmware)
    router = AKMotorBus(drv_bus)
    motors = [AKMotor(AKMotorConfig(name=f"m{i}", can_id=i, firmware=firmware, reply_timeout_s=0.5), router)
              for i in ids]
    times: list[float] = []
    try:
        emu.start()
        for m in motors:
            m.enable()
        for k in range(n + 100):
            torque = 0.5 * np.sin(k * 0.05)
            seen = [m.replies_received for m in motors]

            def all_replied(seen: list[int] = seen) -> bool:
                return all(m.replies_received > c for m, c in zip(motors, seen, strict=True))

            t0 = time.perf_counter()
            for m in motors:
                m.command_torque(torque)
            ok = router.wait_until(all_replied, 0.5)
            dt = time.perf_counter() - t0
            if not ok:
                raise RuntimeError(f"tick {k}: a reply did not arrive within 0.5 s")
            if k >= 100:  # warm-up ticks excluded
                times.append(dt)
        for m in motors:
            m.disable()
    finally:
        emu.stop()
        emu_bus.shutdown()
        drv_bus.shutdown()
    return times


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=2000, help="measured ticks per case")
    p.add_argument("--firmware", nargs="+", default=["legacy", "v3"], choices=["legacy", "v3"])
    p.add_argument("--switch-interval-ms", type=float, default=None,
                   help="sys.setswitchinterval for this run (the GIL hand-over period between the "
                        "driver and the in-process emulator thread; Python's default is 5 ms)")
    args = p.parse_args()
    if args.switch_interval_ms is not None:
        sys.setswitchinterval(args.switch_interval_ms / 1e3)
    rows = []
    for name in args.firmware:
        fw = cast(Firmware, name)  # argparse choices= already restricted it
        for n_motors in (1, 2):
            t = np.array(bench(fw, args.n, n_motors)) * 1e3
            rows.append((fw, n_motors, len(t), np.percentile(t, 50), np.percentile(t, 99), t.max(),
                         statistics.fmean(t)))
    print(f"python-can {can.__version__}, virtual bus, driver + emulator thread in one process, "
          f"GIL switch interval {sys.getswitchinterval() * 1e3:g} ms")
    print(f"{'firmware':<9}{'motors':>7}{'ticks':>7}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'mean ms':>9}")
    for fw, nm, cnt, p50, p99, mx, mean in rows:
        print(f"{fw:<9}{nm:>7}{cnt:>7}{p50:>9.3f}{p99:>9.3f}{mx:>9.3f}{mean:>9.3f}")


if __name__ == "__main__":
    main()
