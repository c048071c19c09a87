"""Driver and emulator in separate processes over python-can ``udp_multicast``.

Network rule: the multicast traffic stays inside a throw-away network namespace
(``unshare -n``: only ``lo``, up, with 224.0.0.0/4 routed to it). Skipped where namespaces
cannot be created (not root, no ``unshare``/``ip``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

_DRIVER = textwrap.dedent("""
    import subprocess, sys, time
    import can
    from exo_control.drivers.ak_motor import AKMotor, AKMotorConfig
    from exo_control.drivers.errors import MotorTimeoutError

    group = "239.74.163.2"
    emu = subprocess.Popen([sys.executable, "-m", "exo_control.emulators.ak_emulator",
                            "--interface", "udp_multicast", "--channel", group,
                            "--ids", "1", "--duration", "10"])
    bus = can.Bus(interface="udp_multicast", channel=group)
    try:
        motor = AKMotor(AKMotorConfig(can_id=1, reply_timeout_s=0.2), bus)
        deadline = time.monotonic() + 8.0
        while True:  # the emulator process needs a moment to start
            try:
                motor.enable()
                break
            except MotorTimeoutError:
                if time.monotonic() > deadline:
                    raise
        # The emulator integrates in real time: command for a set time (50 ms, about 15 rad/s at
        # 1 Nm on the rotor), not a set count of round trips, whose duration depends on the machine.
        spin_until = time.monotonic() + 0.05
        while time.monotonic() < spin_until:
            motor.command_torque(1.0)
            state = motor.wait_for_reply()
        motor.disable()
        print(f"velocity {state.velocity_rad_s:.3f}")
    finally:
        bus.shutdown()
        emu.terminate()
        emu.wait(timeout=5)
""")


def _can_unshare() -> bool:
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        return False
    return subprocess.run(["unshare", "-n", "true"], check=False, capture_output=True).returncode == 0


@pytest.mark.skipif(not _can_unshare(), reason="needs root to create a loopback-only network namespace")
def test_driver_and_emulator_in_separate_processes() -> None:
    setup = "ip link set lo up && ip route add 224.0.0.0/4 dev lo && exec \"$0\" -c \"$1\""
    done = subprocess.run(["unshare", "-n", "sh", "-c", setup, sys.executable, _DRIVER],
                          capture_output=True, text=True, timeout=60, check=False,
                          cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert done.returncode == 0, done.stderr[-2000:]
    velocity = float(done.stdout.split()[-1])
    assert velocity > 0.5
