"""Stop 24 probe: is the loop's extra falling the student's error or the path every request takes?

The sim launch as ``hip-exo closed-loop`` runs it, with the policy node replaced by an oracle that
requests the teacher's own exo torque at the student's rate: the torque the bridge evaluated for the
state its next step starts from (the state whose gyro samples the student has just received),
DELAY_TICKS ticks late (1: one sensor period late; the first request is the start state's torque,
as the bridge had it before its teacher moved to the end of each step). Everything else is the
deployed path: the policy tick, the safety node's soft start, slew limit and clamp, and the bridge
applying the command it last received. With DELAY_TICKS 0 this is the closed loop's teacher relay.
Falls of this oracle loop against the teacher alone (the bridge applying its own torque directly)
measure what the path costs; the student's loop adds its own error on top.

    python artifacts/closed_loop/probes/oracle_loop.py CONFIG TEACHER "SPEEDS" "SEEDS" [DELAY_TICKS [LOOP_DIR]]

LOOP_DIR (closed-loop runs of the same teacher, LOOP_DIR/seedS/closed_loop.json) adds the closed-loop
criterion: of the runs the teacher alone walked without a fall, how many the oracle loop did too.
"""

import json
import sys
from pathlib import Path

import numpy as np

from exo_control.launch_plan import load_plan_configs
from exo_control.nodes.policy_node import PolicyConfig
from exo_control.runtime.inprocess import InProcessRuntime
from exo_control.runtime.node import ExoNode, NodeHandle
from exo_interfaces import contract as c
from exo_interfaces import messages as m
from exo_interfaces.params import from_mapping, to_mapping

RATE_HZ = 160.0  # the students' rate


class OraclePolicy(ExoNode):
    NAME = "policy"
    CONFIG = PolicyConfig
    bridge = None  # set before the node is added
    delay = 0

    def __init__(self, handle: NodeHandle, config: PolicyConfig):
        super().__init__(handle, config)
        self._pub = handle.create_publisher(c.TORQUE_REQUEST)
        self._queue = [self.bridge._teacher_nm.copy() for _ in range(self.delay)]
        handle.create_timer(1.0 / RATE_HZ, self._tick)

    def _tick(self) -> None:
        self._queue.append(self.bridge._teacher_nm.copy())  # the bridge's teacher on the state its next step starts from
        self._pub.publish(m.joint_state_msg(self.handle.now_ns(), effort_nm=self._queue.pop(0)))


def run(config_path: str, teacher: str, speed: float, seed: int) -> dict:
    rt = InProcessRuntime("sim")
    with rt:
        for entry, cls, config in load_plan_configs("sim", config_path):
            if entry.name == "sim_bridge":
                config = from_mapping(cls.CONFIG, {**to_mapping(config), "teacher_path": teacher, "speed_mps": speed,
                                                   "seed": seed, "torque_source": "command"})
                OraclePolicy.bridge = rt.add_node(cls, config, entry.name)
            elif entry.name == "policy":
                rt.add_node(OraclePolicy, config, entry.name)
            else:
                rt.add_node(cls, config, entry.name)
        rt.spin(20.0)
        return OraclePolicy.bridge.summary()


if __name__ == "__main__":
    config_path, teacher = sys.argv[1], sys.argv[2]
    speeds, seeds = [float(v) for v in sys.argv[3].split()], [int(s) for s in sys.argv[4].split()]
    OraclePolicy.delay = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    loop_dir = Path(sys.argv[6]) if len(sys.argv) > 6 else None
    print(f"# oracle loop, {config_path}, {OraclePolicy.delay} ticks late, {teacher}")
    for speed in speeds:
        falls, first, r = [], [], []
        for seed in seeds:
            s = run(config_path, teacher, speed, seed)
            falls.append(s["falls"])
            first.append(s["fall_times_s"][0] if s["fall_times_s"] else float("nan"))
            r.append(s["applied_vs_teacher_torque"]["pearson_r"])
        walked = ""
        if loop_dir is not None:
            ref = [next(row["teacher_falls"] for row in json.loads((loop_dir / f"seed{seed}/closed_loop.json").read_text())
                        if row["speed_mps"] == speed) for seed in seeds]
            walked = f", walked where the teacher alone did: {sum(a == 0 and b == 0 for a, b in zip(falls, ref))} of {ref.count(0)}"
        print(f"{speed:.1f} m/s: falls {sum(falls)} (per seed {falls}), runs with a fall {sum(f > 0 for f in falls)}/{len(seeds)}, "
              f"first falls at {[round(t, 1) for t in first]}, r mean {np.mean(r):.3f}{walked}", flush=True)
