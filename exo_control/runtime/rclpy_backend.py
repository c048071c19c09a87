"""rclpy backend: runs one hip_exo node as a ROS 2 node (used when ROS 2 is sourced).

Kept thin on purpose. Messages cross the boundary as CDR bytes: rosbags serialises the
node's message, rclpy deserialises it into the generated class (and the reverse for
subscriptions), so node logic sees the same classes under both backends.
Written against the ROS 2 Jazzy rclpy API.
"""

from __future__ import annotations

import logging
import signal
import sys
from collections.abc import Callable
from typing import Any

from exo_control.runtime.node import ExoNode
from exo_interfaces.contract import QOS, SENSOR_SUBSCRIPTION_QOS, Qos, Service, Topic
from exo_interfaces.messages import TYPESTORE
from exo_interfaces.params import ConfigError, from_mapping
from exo_interfaces.services import ServiceResponse, SetBoolRequest, TriggerRequest

log = logging.getLogger(__name__)


def ros2_available() -> bool:
    try:
        import rclpy  # noqa: F401
    except ImportError:
        return False
    return True


def _qos_profile(qos: Qos) -> Any:
    from rclpy.qos import DurabilityPolicy, HistoryPolicy, QoSProfile, ReliabilityPolicy

    return QoSProfile(
        history=HistoryPolicy.KEEP_LAST,
        depth=qos.depth,
        reliability=ReliabilityPolicy.RELIABLE if qos.reliability == "reliable" else ReliabilityPolicy.BEST_EFFORT,
        durability=(
            DurabilityPolicy.TRANSIENT_LOCAL if qos.durability == "transient_local" else DurabilityPolicy.VOLATILE
        ),
    )


class _RclpyPublisher:
    def __init__(self, node: Any, topic: Topic):
        from rosidl_runtime_py.utilities import get_message

        self._ros_type = get_message(topic.msgtype)
        self._msgtype = topic.msgtype
        self._pub = node.create_publisher(self._ros_type, topic.name, _qos_profile(QOS[topic.qos]))

    def publish(self, msg: Any) -> None:
        from rclpy.serialization import deserialize_message

        data = TYPESTORE.serialize_cdr(msg, self._msgtype)
        self._pub.publish(deserialize_message(bytes(data), self._ros_type))


class RclpyHandle:
    """NodeHandle over an ``rclpy.node.Node``."""

    def __init__(self, node: Any):
        self.node = node
        self.name = node.get_name()
        self.logger = _RosLogger(node.get_logger())

    def create_publisher(self, topic: Topic) -> _RclpyPublisher:
        return _RclpyPublisher(self.node, topic)

    def create_subscription(self, topic: Topic, callback: Callable[[Any], None]) -> None:
        from rclpy.serialization import serialize_message
        from rosidl_runtime_py.utilities import get_message

        msgtype = topic.msgtype

        def on_msg(ros_msg: Any) -> None:
            callback(TYPESTORE.deserialize_cdr(serialize_message(ros_msg), msgtype))

        qos = SENSOR_SUBSCRIPTION_QOS if topic.qos == "sensor" else QOS[topic.qos]
        self.node.create_subscription(get_message(msgtype), topic.name, on_msg, _qos_profile(qos))

    def create_timer(self, period_s: float, callback: Callable[[], None]) -> Any:
        return self.node.create_timer(period_s, callback)

    def create_service(self, service: Service, callback: Callable[[Any], ServiceResponse]) -> None:
        from rosidl_runtime_py.utilities import get_service

        srv_type = get_service(service.srvtype)
        is_set_bool = service.srvtype == "std_srvs/srv/SetBool"

        def on_request(request: Any, response: Any) -> Any:
            result = callback(SetBoolRequest(bool(request.data)) if is_set_bool else TriggerRequest())
            response.success = result.success
            response.message = result.message
            return response

        self.node.create_service(srv_type, service.name, on_request)

    def now_ns(self) -> int:
        return int(self.node.get_clock().now().nanoseconds)


class _RosLogger:
    def __init__(self, ros_logger: Any):
        self._l = ros_logger

    def debug(self, msg: str) -> None:
        self._l.debug(msg)

    def info(self, msg: str) -> None:
        self._l.info(msg)

    def warning(self, msg: str) -> None:
        self._l.warning(msg)

    def error(self, msg: str) -> None:
        self._l.error(msg)


def _raise_keyboard_interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def run_node(node_cls: type[ExoNode], argv: list[str] | None = None) -> int:
    """Entry point body of a node executable under ROS 2.

    Parameters come from ``--ros-args --params-file`` (as ``ros2 launch`` passes them); they are
    validated by the node's config dataclass, so a bad file stops the node with a ConfigError.
    """
    import rclpy
    from rclpy.executors import ExternalShutdownException, SingleThreadedExecutor
    from rclpy.node import Node
    from rclpy.signals import SignalHandlerOptions

    # rclpy's own handler would shut the context down before we can send zero torque:
    # take SIGINT/SIGTERM ourselves as KeyboardInterrupt, shut the node down, then rclpy.
    rclpy.init(args=argv if argv is not None else sys.argv, signal_handler_options=SignalHandlerOptions.NO)
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    ros_node = Node(
        node_cls.NAME,
        allow_undeclared_parameters=True,
        automatically_declare_parameters_from_overrides=True,
    )
    values = {name: p.value for name, p in ros_node.get_parameters_by_prefix("").items()}
    try:
        config = from_mapping(node_cls.CONFIG, values, source=f"parameters of node {ros_node.get_name()}")
    except ConfigError as exc:
        ros_node.get_logger().fatal(str(exc))
        ros_node.destroy_node()
        rclpy.try_shutdown()
        return 2
    node = node_cls(RclpyHandle(ros_node), config)
    executor = SingleThreadedExecutor()
    executor.add_node(ros_node)
    try:
        executor.spin()
    except (KeyboardInterrupt, ExternalShutdownException):
        pass
    finally:
        # Bring motors to a safe state and give the last messages a moment to go out.
        node.shutdown()
        if rclpy.ok():
            executor.spin_once(timeout_sec=0.05)
        ros_node.destroy_node()
        rclpy.try_shutdown()
    return 0


def main_for(node_cls: type[ExoNode]) -> Callable[[], int]:
    """Console-script entry point: rclpy when ROS 2 is sourced, else a pointer to the launcher."""
    def main() -> int:
        if not ros2_available():
            print(  # noqa: T201 (console entry point, before any logger exists)
                f"{node_cls.NAME}: ROS 2 (rclpy) is not available in this environment. Run the stack "
                "in-process instead: hip-exo launch sim|hardware",
                file=sys.stderr,
            )
            return 1
        return run_node(node_cls)

    return main
