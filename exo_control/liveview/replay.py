"""``hip-exo live --bag BAG``: replay a recorded trial into the live page at its recorded pace (looping)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from rosbags.highlevel import AnyReader

from exo_control.liveview.config import LiveViewConfig
from exo_control.liveview.sampler import LiveSampler, SampleBuffer
from exo_control.liveview.server import LiveViewServer
from exo_interfaces import contract as c

log = logging.getLogger(__name__)


def replay_once(bag: Path, sampler: LiveSampler, rate: float = 1.0) -> int:
    """Feed one pass of the bag to ``sampler``, sleeping to keep the recorded pace; rows emitted."""
    topics = {c.TORQUE_COMMAND.name, c.JOINT_STATES.name, c.IMU_LEFT_THIGH.name, c.IMU_RIGHT_THIGH.name,
              c.SIM_TEACHER_TORQUE.name}
    rows = 0
    with AnyReader([bag]) as reader:
        conns = [x for x in reader.connections if x.topic in topics]
        t0_bag, t0_wall = None, time.monotonic()
        for conn, stamp, raw in reader.messages(connections=conns):
            if t0_bag is None:
                t0_bag = stamp
            delay = (stamp - t0_bag) / 1e9 / rate - (time.monotonic() - t0_wall)
            if delay > 0:
                time.sleep(delay)
            msg = reader.deserialize(raw, conn.msgtype)
            if conn.topic == c.TORQUE_COMMAND.name:
                sampler.on_command(msg, stamp)
                rows += 1
            elif conn.topic == c.JOINT_STATES.name:
                sampler.on_joint_states(msg)
            elif conn.topic == c.SIM_TEACHER_TORQUE.name:
                sampler.on_teacher_torque(msg)
            else:
                sampler.on_imu(0 if conn.topic == c.IMU_LEFT_THIGH.name else 1, msg)
    return rows


def serve_bag(bag: str | Path, *, port: int = 8765, rate: float = 1.0, loops: int | None = None) -> int:
    """Serve the live page and replay ``bag`` into it until Ctrl-C (or ``loops`` passes)."""
    bag = Path(bag)
    if not rate > 0:
        raise ValueError(f"replay rate must be > 0, got {rate}")
    config = LiveViewConfig(port=port)
    buffer = SampleBuffer(config.buffer_rows)
    server = LiveViewServer(buffer, config, title=f"replay of {bag.name}")
    log.info("live view of %s at %s (Ctrl-C to stop)", bag, server.start())
    n = 0
    try:
        while loops is None or n < loops:
            replay_once(bag, LiveSampler(buffer), rate)
            n += 1
    except KeyboardInterrupt:
        log.info("stopped")
    finally:
        server.stop()
    return 0
