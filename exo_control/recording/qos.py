"""The contract's QoS profiles as rosbag2 'offered_qos_profiles' (what ros2 bag record stores)."""

from __future__ import annotations

from rosbags.interfaces import Qos as BagQos
from rosbags.interfaces import QosDurability, QosHistory, QosLiveliness, QosReliability, QosTime

from exo_interfaces.contract import QOS, Qos, Topic

#: RMW_DURATION_INFINITE as rosbag2 writes it (sec, nsec).
INFINITE = QosTime(9_223_372_036, 854_775_807)


def bag_qos(qos: Qos) -> BagQos:
    """One contract profile as a rosbags Qos (KEEP_LAST, infinite deadline/lifespan, automatic liveliness)."""
    return BagQos(
        history=QosHistory.KEEP_LAST,
        depth=qos.depth,
        reliability=QosReliability.RELIABLE if qos.reliability == "reliable" else QosReliability.BEST_EFFORT,
        durability=QosDurability.TRANSIENT_LOCAL if qos.durability == "transient_local" else QosDurability.VOLATILE,
        deadline=INFINITE,
        lifespan=INFINITE,
        liveliness=QosLiveliness.AUTOMATIC,
        liveliness_lease_duration=INFINITE,
        avoid_ros_namespace_conventions=False,
    )


def offered_qos(topic: Topic) -> list[BagQos]:
    """The profiles offered on ``topic`` by its publishers (one publisher profile per topic)."""
    return [bag_qos(QOS[topic.qos])]
