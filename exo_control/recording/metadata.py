"""rosbag2 ``metadata.yaml`` (version 8, the format ROS 2 Jazzy reads) for provisional and recovered bags.

A clean close lets rosbags' Writer write the final file; this module writes the provisional one
at start (so trial metadata survives a crash) and the rebuilt one after recovery.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import Any, Literal

from rosbags.interfaces import Qos as BagQos
from rosbags.rosbag2.metadata import dump_qos_v8
from ruamel.yaml import YAML

#: rosbag2 metadata version written (ROS 2 Jazzy's rosbag2 writes and reads 8).
BAG_VERSION: Literal[8] = 8
METADATA_FILE = "metadata.yaml"


@dataclass(frozen=True)
class TopicCount:
    name: str
    msgtype: str
    qos: Sequence[BagQos]
    type_hash: str
    count: int


def write_metadata(
    bag: Path,
    *,
    mcap_name: str,
    topics: Sequence[TopicCount],
    start_ns: int,
    end_ns: int,
    custom_data: Mapping[str, str],
) -> Path:
    """Write ``bag/metadata.yaml`` atomically (temporary file, fsync, rename)."""
    count = sum(t.count for t in topics)
    start = start_ns if count else 0
    duration = max(0, end_ns - start_ns) if count else 0
    info: dict[str, Any] = {
        "version": BAG_VERSION,
        "storage_identifier": "mcap",
        "relative_file_paths": [mcap_name],
        "duration": {"nanoseconds": duration},
        "starting_time": {"nanoseconds_since_epoch": start},
        "message_count": count,
        "topics_with_message_count": [
            {
                "topic_metadata": {
                    "name": t.name,
                    "type": t.msgtype,
                    "serialization_format": "cdr",
                    "offered_qos_profiles": dump_qos_v8(list(t.qos)),
                    "type_description_hash": t.type_hash,
                },
                "message_count": t.count,
            }
            for t in topics
        ],
        "compression_format": "",
        "compression_mode": "",
        "files": [
            {
                "path": mcap_name,
                "starting_time": {"nanoseconds_since_epoch": start},
                "duration": {"nanoseconds": duration},
                "message_count": count,
            }
        ],
        "custom_data": dict(custom_data) or None,
        "ros_distro": "rosbags",
    }
    yaml = YAML(typ="safe")
    yaml.default_flow_style = False
    text = StringIO()
    yaml.dump({"rosbag2_bagfile_information": info}, text)
    path = bag / METADATA_FILE
    tmp = path.with_suffix(".yaml.tmp")
    with tmp.open("w", encoding="utf8") as f:
        f.write(text.getvalue())
        f.flush()
        os.fsync(f.fileno())
    tmp.replace(path)
    return path


def read_metadata(bag: Path) -> dict[str, Any]:
    """The ``rosbag2_bagfile_information`` mapping of ``bag/metadata.yaml`` ({} if absent)."""
    path = bag / METADATA_FILE
    if not path.is_file():
        return {}
    data = YAML(typ="safe").load(path.read_text(encoding="utf8")) or {}
    info = data.get("rosbag2_bagfile_information", {})
    return dict(info) if isinstance(info, dict) else {}
