"""HIL across processes: the hardware nodes in this process, the motor emulator in another,
talking python-can ``udp_multicast`` inside a loopback-only network namespace the test creates
(``unshare -n``; lo up; 224.0.0.0/4 routed to lo). No multicast ever reaches a real interface.
Skipped where namespaces cannot be made (not root, no unshare/ip).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from nodes_for_tests import export_offset_student

REPO = Path(__file__).resolve().parents[1]

_STACK = textwrap.dedent("""
    import json, subprocess, sys, time
    import numpy as np
    from exo_control.nodes.imu_driver_node import ImuDriverConfig, ImuDriverNode
    from exo_control.nodes.motor_driver_node import MotorDriverConfig, MotorDriverNode
    from exo_control.nodes.policy_node import PolicyConfig, PolicyNode
    from exo_control.nodes.safety_node import SafetyNode
    from exo_control.runtime.inprocess import InProcessRuntime
    from exo_control.safety.governor import SafetyConfig
    from exo_interfaces import contract as c, messages as m

    group = "239.74.163.7"
    emu = subprocess.Popen([sys.executable, "-m", "exo_control.emulators.ak_emulator", "--interface",
                            "udp_multicast", "--channel", group, "--ids", "1", "2", "--duration", "30"])
    try:
        rt = InProcessRuntime("wall")
        motor_cfg = MotorDriverConfig(interface="udp_multicast", channel=group)
        for attempt in range(40):  # the emulator process needs a moment to start listening
            try:
                rt.add_node(MotorDriverNode, motor_cfg)
                break
            except Exception:
                time.sleep(0.2)
        else:
            raise SystemExit("motor driver could not enable the emulated motors")
        rt.add_node(ImuDriverNode, ImuDriverConfig(backend="emulator", calibrate_on_start=False, emulated_standing_s=0.0))
        rt.add_node(PolicyNode, PolicyConfig(policy_path=sys.argv[1]))
        safety = rt.add_node(SafetyNode, SafetyConfig(enable_on_start=True, soft_start_s=0.2))
        h = rt.handle("probe")
        cmds, measured = [], []
        h.create_subscription(c.TORQUE_COMMAND, lambda msg: cmds.append((time.monotonic(), m.joint_efforts(msg))))
        h.create_subscription(c.JOINT_STATES, lambda msg: measured.append(m.joint_efforts(msg)))
        rt.spin(1.0)
        assisting = cmds[-1][1].tolist()
        last_measured = measured[-1].tolist()
        t_kill = time.monotonic()
        emu.kill()  # the motors go silent: bus silence seen by the real driver
        rt.spin(0.5)
        t_zero = next(t for t, cmd in cmds if t > t_kill and np.all(cmd == 0))
        rt.shutdown()
        print(json.dumps({"assisting": assisting, "measured": last_measured, "faults": sorted(safety.governor.faults),
                          "to_zero_ms": (t_zero - t_kill) * 1e3}))
    finally:
        emu.kill()
        emu.wait(timeout=5)
""")


def _can_unshare() -> bool:
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        return False
    return subprocess.run(["unshare", "-n", "true"], check=False, capture_output=True).returncode == 0


@pytest.mark.netns
@pytest.mark.skipif(not _can_unshare(), reason="needs root to create a loopback-only network namespace")
def test_hardware_stack_against_emulator_process(tmp_path: Path) -> None:
    student = export_offset_student(tmp_path / "student.onnx")
    setup = 'ip link set lo up && ip route add 224.0.0.0/4 dev lo && exec "$0" -c "$1" "$2"'
    done = subprocess.run(["unshare", "-n", "sh", "-c", setup, sys.executable, _STACK, str(student)],
                          capture_output=True, text=True, timeout=120, check=False, cwd=REPO)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"netns HIL: {result}")
    assert min(abs(x) for x in result["assisting"]) > 1.0
    assert max(abs(a - b) for a, b in zip(result["assisting"], result["measured"])) < 0.5
    assert any(f.startswith("reported:motor_driver") for f in result["faults"]), result
    # Detection (50 ms reply timeout) + two 5 ms periods + 50 ms ramp, with slack for a loaded machine.
    assert result["to_zero_ms"] < 200.0, result
