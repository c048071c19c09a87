"""The in-process recorder writes a real rosbag2 (MCAP) bag: two independent readers agree with what was published."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from mcap.reader import make_reader
from mcap_ros2.decoder import DecoderFactory
from rosbags.highlevel import AnyReader
from rosbags.interfaces import QosDurability, QosReliability

from exo_control.recording import BagPathError, RecorderConfig, TrialMetadata, format_trials, list_trials
from exo_control.recording.synthetic_trial import build_synthetic_trial
from exo_control.runtime.inprocess import InProcessRuntime
from exo_interfaces import contract as c
from exo_interfaces import messages as m

TRIAL = {"subject": "s01", "condition": "assisted", "trial": 3, "speed_mps": 1.25, "slope_deg": -5.0,
         "body_mass_kg": 72.5, "policy": "student_v1.onnx"}


def record_trial(bag: Path, seconds: float = 2.0, **overrides: Any) -> tuple[dict[str, list[tuple[int, bytes]]], Any]:
    """Run synthetic walker + safety + recorder; return what a plain subscriber saw per topic, and the recorder."""
    cfg = RecorderConfig(bag=str(bag), **{"min_free_mb": 0.0, "fsync": False, **TRIAL, **overrides})
    rt = InProcessRuntime("sim")
    seen: dict[str, list[tuple[int, bytes]]] = {t.name: [] for t in c.ALL_TOPICS}
    with rt:
        h = rt.handle("observer")
        for topic in c.ALL_TOPICS:
            h.create_subscription(topic, lambda msg, name=topic.name: seen[name].append((h.now_ns(), m.serialize(msg))))
        nodes = build_synthetic_trial(rt, cfg)
        rt.spin(seconds)
    return seen, nodes["recorder"]


def test_two_readers_read_back_every_message_and_metadata(tmp_path: Path) -> None:
    bag = tmp_path / "s01_t03"
    seen, rec = record_trial(bag)
    assert rec.writer.stats.dropped == 0
    total = sum(len(v) for v in seen.values())
    assert total > 2000 and seen[c.TORQUE_COMMAND.name][-1][0] >= seen[c.TORQUE_COMMAND.name][-2][0]
    assert np.all(m.joint_efforts(m.deserialize(seen[c.TORQUE_COMMAND.name][-1][1], "sensor_msgs/msg/JointState")) == 0)

    # Reader 1: rosbags AnyReader (metadata.yaml + MCAP summary).
    with AnyReader([bag]) as reader:
        assert reader.message_count == total
        got: dict[str, list[tuple[int, bytes]]] = {t.name: [] for t in c.ALL_TOPICS}
        for conn, stamp, raw in reader.messages():
            got[conn.topic].append((stamp, bytes(raw)))
        conns = {conn.topic: conn for conn in reader.connections}
        custom = reader.readers[0].storage.metadata.custom  # type: ignore[union-attr]
    assert got == seen
    for topic in c.ALL_TOPICS:
        assert conns[topic.name].msgtype == topic.msgtype
        qos = conns[topic.name].ext.offered_qos_profiles[0]  # type: ignore[union-attr]
        assert qos.reliability == QosReliability.RELIABLE
        want = QosDurability.TRANSIENT_LOCAL if topic.qos == "latched" else QosDurability.VOLATILE
        assert qos.durability == want and qos.depth == c.QOS[topic.qos].depth
    assert TrialMetadata.from_custom_data(custom).subject == "s01"
    meta = TrialMetadata.from_custom_data(custom)
    assert (meta.trial, meta.speed_mps, meta.slope_deg, meta.body_mass_kg, meta.policy) == (3, 1.25, -5.0, 72.5, "student_v1.onnx")
    assert custom["hip_exo.state"] == "complete"

    # Reader 2: the mcap library (raw records) and mcap_ros2's own CDR decoder.
    mcap_file = bag / f"{bag.name}.mcap"
    with mcap_file.open("rb") as f:
        r = make_reader(f)
        raw2: dict[str, list[tuple[int, bytes]]] = {t.name: [] for t in c.ALL_TOPICS}
        for _schema, channel, message in r.iter_messages(log_time_order=False):
            raw2[channel.topic].append((message.log_time, bytes(message.data)))
        summary = r.get_summary()
        rosbag2_meta = next(rec for rec in r.iter_metadata() if rec.name == "rosbag2")
    assert raw2 == seen
    assert summary is not None and summary.statistics is not None and summary.statistics.message_count == total
    assert "subject: s01" in rosbag2_meta.metadata["serialized_metadata"]

    with mcap_file.open("rb") as f:
        decoded = list(make_reader(f, decoder_factories=[DecoderFactory()]).iter_decoded_messages(
            topics=[c.JOINT_STATES.name, c.IMU_LEFT_THIGH.name], log_time_order=False))
    joint = [(msg, ros) for _s, ch, msg, ros in decoded if ch.topic == c.JOINT_STATES.name]
    assert len(joint) == len(seen[c.JOINT_STATES.name])
    for (msg, ros), (stamp, raw) in zip(joint, seen[c.JOINT_STATES.name]):
        ours = m.deserialize(raw, "sensor_msgs/msg/JointState")
        assert msg.log_time == stamp
        assert list(ros.name) == list(c.JOINT_NAMES)
        np.testing.assert_array_equal(np.asarray(ros.effort), ours.effort)
        np.testing.assert_array_equal(np.asarray(ros.position), ours.position)
        assert (ros.header.stamp.sec, ros.header.stamp.nanosec) == (ours.header.stamp.sec, ours.header.stamp.nanosec)
    imu = [ros for _s, ch, _m, ros in decoded if ch.topic == c.IMU_LEFT_THIGH.name]
    ours_imu = [m.deserialize(raw, "sensor_msgs/msg/Imu") for _, raw in seen[c.IMU_LEFT_THIGH.name]]
    assert [i.angular_velocity.y for i in imu] == [o.angular_velocity.y for o in ours_imu]


def test_same_seed_gives_same_messages(tmp_path: Path) -> None:
    a, _ = record_trial(tmp_path / "a", seconds=0.5)
    b, _ = record_trial(tmp_path / "b", seconds=0.5)
    assert a == b


def test_trials_list_reads_metadata_of_each_bag(tmp_path: Path) -> None:
    record_trial(tmp_path / "s01_t01", seconds=0.3, trial=1)
    record_trial(tmp_path / "s01_t02", seconds=0.3, trial=2, condition="no_exo")
    (tmp_path / "notes").mkdir()
    trials = list_trials(tmp_path)
    assert [(t.path.name, t.meta.trial, t.meta.condition, t.state) for t in trials] == [
        ("s01_t01", 1, "assisted", "complete"), ("s01_t02", 2, "no_exo", "complete")]
    assert all(t.messages > 300 and t.duration_s == pytest.approx(0.3, abs=0.01) for t in trials)
    assert "no_exo" in format_trials(trials)


def test_unusable_paths_fail_at_start_naming_the_path(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    with pytest.raises(BagPathError, match=r"taken exists already"):
        record_trial(tmp_path / "taken")
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(BagPathError, match=r"a_file"):
        record_trial(tmp_path / "a_file" / "bag")
    with pytest.raises(BagPathError, match=r"MB free, the recorder needs at least"):
        record_trial(tmp_path / "bag", min_free_mb=1e12)
