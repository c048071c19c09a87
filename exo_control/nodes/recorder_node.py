"""Recorder node: every topic of the contract into one rosbag2 (MCAP) bag per trial, without ROS 2.

Subscribes to ``contract.ALL_TOPICS``; each message is stamped with the node clock on arrival
and queued to a :class:`~exo_control.recording.BagWriter`, whose thread serialises it to CDR
(the bytes ROS 2 would record), writes and flushes chunks, so the executor never waits on the
disk or on serialisation (messages are not changed after publishing, as in ROS 2 intra-process). It shuts down last
(SHUTDOWN_ORDER 1000): the zero torque the safety node sends at shutdown is in the bag.

Its status goes to /diagnostics as ``recorder: bag`` (OK, or WARN with the reason when messages
were dropped or writing failed). WARN, not ERROR, on purpose: the safety node latches a fault on
any ERROR, and a full disk must not stop assistance in the middle of a step; the operator sees
it, the log has it, and the launcher reports it at the end.
"""

from __future__ import annotations

from typing import Any

from exo_control.recording.bag_writer import BagWriter
from exo_control.recording.config import RecorderConfig
from exo_control.recording.errors import BagWriteError
from exo_control.recording.trial import TrialMetadata, bag_path_for
from exo_control.runtime.node import ExoNode, NodeHandle
from exo_interfaces import contract as c
from exo_interfaces import messages as m


class RecorderNode(ExoNode):
    NAME = "recorder"
    CONFIG = RecorderConfig
    SHUTDOWN_ORDER = 1000

    def __init__(self, handle: NodeHandle, config: RecorderConfig):
        super().__init__(handle, config)
        self.trial = TrialMetadata.from_config(config)
        self.path = bag_path_for(config, self.trial)
        self.writer = BagWriter(
            self.path, c.ALL_TOPICS, m.TYPESTORE,
            custom_data=self.trial.to_custom_data(),
            chunk_size_bytes=config.chunk_size_bytes, flush_period_s=config.flush_period_s, fsync=config.fsync,
            queue_size=config.queue_size, min_free_mb=config.min_free_mb,
        )
        self.writer.open()  # raises BagPathError naming the path: the launch stops before any node runs
        self.error: BagWriteError | None = None
        self._error_reported = False
        self._diag_pub = handle.create_publisher(c.DIAGNOSTICS)
        for topic in c.ALL_TOPICS:
            handle.create_subscription(topic, self._make_callback(topic.name))
        handle.create_timer(1.0 / config.diagnostics_rate_hz, self._publish_status)
        self.log.info(f"recording {len(c.ALL_TOPICS)} topics to {self.path}")

    def _make_callback(self, topic: str) -> Any:
        writer = self.writer
        now = self.handle.now_ns

        def on_msg(msg: Any) -> None:
            if not writer.put(topic, now(), msg) and writer.error is not None and not self._error_reported:
                self._error_reported = True
                self.log.error(str(writer.error))
                self._publish_status()

        on_msg.__name__ = f"record_{topic}"
        return on_msg

    def _publish_status(self) -> None:
        s = self.writer.stats
        problem = str(self.writer.error) if self.writer.error else (
            f"{s.dropped} messages dropped (writer queue full)" if s.dropped else ""
        )
        values = {"bag": str(self.path), **{k: str(v) for k, v in s.as_dict().items()}}
        status = m.diagnostic_status(
            f"{self.handle.name}: bag", m.DIAG_WARN if problem else m.DIAG_OK,
            problem or f"recording {self.path.name}", values,
        )
        self._diag_pub.publish(m.diagnostic_array(self.handle.now_ns(), [status]))

    def shutdown(self) -> None:
        try:
            stats = self.writer.close()
        except BagWriteError as exc:
            self.error = exc
            self.log.error(str(exc))
            return
        self.log.info(f"bag {self.path}: {stats.written} messages, {stats.dropped} dropped")


def main() -> int:
    from exo_control.runtime.rclpy_backend import main_for

    return main_for(RecorderNode)()
